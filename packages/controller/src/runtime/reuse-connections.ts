import { createHash } from 'node:crypto';
import type { Agent } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';

type CreateAgent = (
  cluster: { server?: string; proxyUrl?: string } | null,
  options: Record<string, unknown>,
) => Agent;

function settingsKey(
  cluster: { server?: string; proxyUrl?: string } | null,
  options: Record<string, unknown>,
) {
  const hash = createHash('sha256');
  hash.update(`${cluster?.server ?? ''}\0${cluster?.proxyUrl ?? ''}\0`);
  for (const key of ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername']) {
    const value = options[key];
    hash.update(`${key}=`);
    if (value !== undefined) hash.update(Buffer.isBuffer(value) ? value : String(value));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * client-node 1.x builds a new https.Agent for every request, so every API call pays a TCP and TLS
 * handshake: in the controller benchmark that set-up took about half of the process's CPU. This
 * makes the KubeConfig hand out one keep-alive agent per distinct connection setting (server,
 * proxy, CA, client certificate), so requests and watches reuse connections. A rotated client
 * certificate is a new setting and gets a new agent.
 */
export function reuseConnections(kc: KubeConfig): KubeConfig {
  const target = kc as unknown as { createAgent: CreateAgent };
  const create = target.createAgent.bind(kc);
  const agents = new Map<string, Agent>();
  target.createAgent = (cluster, options) => {
    const key = settingsKey(cluster, options);
    let agent = agents.get(key);
    if (!agent) {
      agent = create(cluster, { ...options, keepAlive: true });
      agents.set(key, agent);
    }
    return agent;
  };
  return kc;
}
