import { createHash } from 'node:crypto';
import type { Agent } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';

type CreateAgent = (
  cluster: { server?: string; proxyUrl?: string } | null,
  options: Record<string, unknown>,
) => Agent;

const SETTINGS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'];

function settingsKey(
  cluster: { server?: string; proxyUrl?: string } | null,
  options: Record<string, unknown>,
) {
  const hash = createHash('sha256');
  hash.update(`${cluster?.server ?? ''}\0${cluster?.proxyUrl ?? ''}\0`);
  for (const key of SETTINGS) {
    const value = options[key];
    hash.update(`${key}=`);
    if (value !== undefined) hash.update(Buffer.isBuffer(value) ? value : String(value));
    hash.update('\0');
  }
  return hash.digest('hex');
}

interface Last {
  server: string | undefined;
  proxyUrl: string | undefined;
  options: Record<string, unknown>;
  agent: Agent;
}

/** Whether a request's settings are those of the previous one (client-node hands out fresh buffers). */
function sameSettings(
  last: Last,
  cluster: { server?: string; proxyUrl?: string } | null,
  options: Record<string, unknown>,
) {
  if (last.server !== cluster?.server || last.proxyUrl !== cluster?.proxyUrl) return false;
  return SETTINGS.every((key) => {
    const a = last.options[key];
    const b = options[key];
    return Buffer.isBuffer(a) && Buffer.isBuffer(b) ? a.equals(b) : a === b;
  });
}

/**
 * An https.Agent names the socket pool of each request after its destination and every TLS setting,
 * the PEM of the CA included: per request it built a string of over a kilobyte and hashed it for each
 * pool lookup. The agents made here serve one set of TLS settings each (addRequest lays the agent's
 * options over the request's, and a request reaches the agent of its own settings), so only the
 * destination part of a name can vary.
 */
function memoizeNames(agent: Agent): Agent {
  const nameOf = agent.getName.bind(agent);
  const names = new Map<string, string>();
  agent.getName = (options = {}) => {
    const { host, port, localAddress, family, servername, socketPath } = options as Record<string, unknown>;
    const destination = `${host}|${port}|${localAddress}|${family}|${servername}|${socketPath}`;
    let name = names.get(destination);
    if (name === undefined) {
      name = nameOf(options);
      names.set(destination, name);
    }
    return name;
  };
  return agent;
}

/**
 * client-node 1.x builds a new https.Agent for every request, so every API call pays a TCP and TLS
 * handshake: in the controller benchmark that set-up took about half of the process's CPU. This
 * makes the KubeConfig hand out one keep-alive agent per distinct connection setting (server,
 * proxy, CA, client certificate), so requests and watches reuse connections. A rotated client
 * certificate is a new setting and gets a new agent. Requests in a row nearly always have the settings
 * of the one before, which a byte comparison confirms more cheaply than hashing them again.
 */
export function reuseConnections(kc: KubeConfig): KubeConfig {
  const target = kc as unknown as { createAgent: CreateAgent };
  const create = target.createAgent.bind(kc);
  const agents = new Map<string, Agent>();
  let last: Last | undefined;
  target.createAgent = (cluster, options) => {
    if (last && sameSettings(last, cluster, options)) return last.agent;
    const key = settingsKey(cluster, options);
    let agent = agents.get(key);
    if (!agent) {
      agent = memoizeNames(create(cluster, { ...options, keepAlive: true }));
      agents.set(key, agent);
    }
    last = { server: cluster?.server, proxyUrl: cluster?.proxyUrl, options, agent };
    return agent;
  };
  return kc;
}
