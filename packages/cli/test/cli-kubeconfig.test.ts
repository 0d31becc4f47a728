import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { readKubeconfig } from '../src/kube/kubeconfig.js';
import { Cluster, MAIN, spawnAsync } from './cli-harness.js';

let cluster: Cluster;

beforeAll(async () => {
  cluster = await Cluster.start();
  cluster.createTask('probe');
});

afterAll(async () => {
  await cluster.stop();
});

interface Kubeconfig {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: Record<string, unknown> }[];
}

/** The test cluster's kubeconfig, changed by `edit` and written next to it. */
function variant(name: string, edit: (doc: Kubeconfig) => void): string {
  const doc = parse(readFileSync(cluster.path('.kube', 'config'), 'utf8')) as Kubeconfig;
  edit(doc);
  return cluster.write(`kubeconfigs/${name}`, stringify(doc));
}

const user = (doc: Kubeconfig) => (doc.users[0] as { user: Record<string, unknown> }).user;
const clusterOf = (doc: Kubeconfig) => (doc.clusters[0] as { cluster: Record<string, unknown> }).cluster;

/** `kelos get tasks -o name` with a loader hook listing every module it resolves. */
async function getTasks(kubeconfig: string): Promise<{ code: number; stdout: string; modules: string[] }> {
  const hook = cluster.write(
    'hook.mjs',
    `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`export async function resolve(s, c, next) {
  const r = await next(s, c); process.stderr.write('[resolved] ' + r.url + '\\\\n'); return r; }\`));`,
  );
  const r = await spawnAsync(
    process.execPath,
    ['--import', hook, MAIN, 'get', 'tasks', '-o', 'name', '--kubeconfig', kubeconfig],
    { env: cluster.env() },
  );
  const modules = r.stderr.split('\n').filter((l) => l.startsWith('[resolved] '));
  return { code: r.code, stdout: r.stdout, modules };
}

describe('reading the kubeconfig without @kubernetes/client-node', () => {
  it('takes the static credentials of the selected context, with files relative to the kubeconfig', () => {
    const path = variant('files', (doc) => {
      const data = clusterOf(doc)['certificate-authority-data'] as string;
      cluster.write('kubeconfigs/ca.crt', Buffer.from(data, 'base64').toString());
      delete clusterOf(doc)['certificate-authority-data'];
      clusterOf(doc)['certificate-authority'] = 'ca.crt';
      clusterOf(doc)['tls-server-name'] = 'localhost';
      doc.contexts.push({ name: 'other', context: { cluster: doc.clusters[0]?.name, namespace: 'team' } });
    });
    const current = readKubeconfig(path);
    expect(current.access?.token).toBe(user(parse(readFileSync(path, 'utf8'))).token);
    expect(current.access?.ca?.toString()).toContain('BEGIN CERTIFICATE');
    expect(current.access?.tlsServerName).toBe('localhost');
    expect(current.namespace).toBe('default');
    const other = readKubeconfig(path, 'other');
    expect(other).toMatchObject({ contextName: 'other', namespace: 'team' });
    expect(other.access?.token).toBeUndefined();
    expect(() => readKubeconfig(path, 'nope')).toThrow('context "nope" does not exist in the kubeconfig');
  });

  it('reads scalars as YAML 1.2 core, as client-go does: a date-like token stays a string', () => {
    const path = cluster.write(
      'kubeconfigs/date-token',
      'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: 2026-01-01}}]\ncontexts: [{name: one, context: {cluster: c, user: u, namespace: team}}]\ncurrent-context: one\n',
    );
    expect(readKubeconfig(path)).toMatchObject({ namespace: 'team', access: { token: '2026-01-01' } });
    const broken = cluster.write('kubeconfigs/broken', 'clusters: [unclosed\n');
    expect(() => readKubeconfig(broken)).toThrow(/^loading kubeconfig: \S/);
  });

  it('leaves plugins and proxies to client-node', () => {
    const exec = variant('exec', (doc) => {
      user(doc).exec = { apiVersion: 'client.authentication.k8s.io/v1', command: 'true' };
    });
    expect(readKubeconfig(exec).access).toBeUndefined();
    const proxy = variant('proxy', (doc) => {
      clusterOf(doc)['proxy-url'] = 'http://127.0.0.1:3128';
    });
    expect(readKubeconfig(proxy).access).toBeUndefined();
  });

  it('serves `kelos get` with static credentials, without loading client-node', async () => {
    const r = await getTasks(cluster.path('.kube', 'config'));
    expect(r).toMatchObject({ code: 0, stdout: 'task/probe\n' });
    expect(r.modules.filter((m) => m.includes('client-node'))).toEqual([]);
  });

  it('serves `kelos get` through client-node for an exec credential plugin', async () => {
    const token = user(parse(readFileSync(cluster.path('.kube', 'config'), 'utf8'))).token as string;
    const credential = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token },
    });
    const path = variant('exec-token', (doc) => {
      delete user(doc).token;
      user(doc).exec = {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: '/bin/sh',
        args: ['-c', `echo '${credential}'`],
        interactiveMode: 'Never',
      };
    });
    const r = await getTasks(path);
    expect(r).toMatchObject({ code: 0, stdout: 'task/probe\n' });
    expect(r.modules.some((m) => m.includes('client-node'))).toBe(true);
  });
});
