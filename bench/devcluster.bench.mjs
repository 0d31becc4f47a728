// The dev cluster's API server under client-node load: create and get 10,000 ConfigMaps with 16 requests in
// flight, the delivery latency of a watch meanwhile, and the server's memory with the objects stored.
// The floor is a plain Node HTTPS server answering the same client-node calls with a fixed body (and a
// fixed watch event per create): the ratio of the two throughputs is what the API server's own work costs
// (target: at least 0.5).
// Each server runs in its own process, so client and server do not share an event loop, and every phase
// runs floor, dev, dev, floor with half the requests each, so the client warming up or slowing down over
// the run does not favour either side.
// Run after `pnpm build` (tsc -b): node bench/run.mjs devcluster
// Profile the servers: BENCH_PROFILE=1 node bench/run.mjs devcluster (writes CPU.*.cpuprofile in bench/).
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const devcluster = '../packages/devcluster/dist/index.js';
const clientNode = '../packages/devcluster/node_modules/@kubernetes/client-node/dist/index.js';

const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 10_000);
const CONCURRENCY = 16;
const NAMESPACE = 'bench';

// ---- server processes ----

async function serveDevCluster() {
  const { startDevCluster } = await import(devcluster);
  const cluster = await startDevCluster({ node: false });
  cluster.client.create('namespaces', { metadata: { name: NAMESPACE } });
  return {
    endpoint: { url: cluster.url, caCert: cluster.caCert, token: cluster.adminToken },
    stop: () => cluster.stop(),
  };
}

/** Answers every request as the API server would a ConfigMap create or get, with one fixed body. */
async function serveFloor() {
  const { generateServingCerts } = await import(devcluster);
  const certs = generateServingCerts();
  const object = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'fixed',
      namespace: NAMESPACE,
      uid: '2b1f7c2e-0000-4000-8000-000000000000',
      resourceVersion: '1',
      creationTimestamp: '2025-01-01T00:00:00Z',
    },
    data: { key: 'value' },
  };
  const body = JSON.stringify(object);
  const event = `${JSON.stringify({ type: 'ADDED', object })}\n`;
  const watchers = new Set();
  const server = createServer({ key: certs.key, cert: certs.cert, keepAlive: true }, (req, res) => {
    if (req.url.includes('watch=true')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      watchers.add(res);
      res.on('close', () => watchers.delete(res));
      return;
    }
    req.resume();
    req.on('end', () => {
      res.writeHead(req.method === 'POST' ? 201 : 200, {
        'content-type': 'application/json',
        'content-length': body.length,
      });
      res.end(body);
      if (req.method === 'POST') for (const w of watchers) w.write(event);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: { url: `https://127.0.0.1:${server.address().port}`, caCert: certs.caCert, token: 'floor' },
    stop: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}

async function runServer(kind) {
  const served = kind === 'devcluster' ? await serveDevCluster() : await serveFloor();
  process.on('message', async (msg) => {
    if (msg === 'memory') {
      globalThis.gc?.();
      process.send({ memory: process.memoryUsage() });
    } else if (msg === 'stop') {
      await served.stop();
      process.exit(0);
    }
  });
  process.send({ endpoint: served.endpoint });
}

// ---- load generator ----

function startServer(kind) {
  const execArgv = ['--expose-gc'];
  if (process.env.BENCH_PROFILE) execArgv.push('--cpu-prof', `--cpu-prof-dir=${here}`);
  const child = fork(fileURLToPath(import.meta.url), ['serve', kind], { execArgv });
  const next = () => new Promise((resolve) => child.once('message', resolve));
  return {
    endpoint: next().then((m) => m.endpoint),
    memory: async () => {
      const reply = next();
      child.send('memory');
      return (await reply).memory;
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.send('stop');
      }),
  };
}

function kubeConfigFor(k8s, endpoint, dir, name) {
  const path = join(dir, `kubeconfig-${name}`);
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'bench',
          cluster: {
            server: endpoint.url,
            'certificate-authority-data': Buffer.from(endpoint.caCert).toString('base64'),
          },
        },
      ],
      users: [{ name: 'bench', user: { token: endpoint.token } }],
      contexts: [{ name: 'bench', context: { cluster: 'bench', user: 'bench' } }],
      'current-context': 'bench',
    }),
  );
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

/** Plain node:https with one keep-alive agent: what a client that reuses connections sees. */
function keepAliveClient(endpoint) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca: endpoint.caCert });
  const headers = { authorization: `Bearer ${endpoint.token}`, accept: 'application/json' };
  const call = (method, path, body) =>
    new Promise((resolve, reject) => {
      const req = request(`${endpoint.url}${path}`, { method, agent, headers }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          res.statusCode < 300
            ? resolve(JSON.parse(Buffer.concat(chunks)))
            : reject(new Error(`${res.statusCode}`)),
        );
      });
      req.on('error', reject);
      if (body) req.setHeader('content-type', 'application/json');
      req.end(body);
    });
  return { call, close: () => agent.destroy() };
}

/** Runs `call(i)` for i in [from, to) with CONCURRENCY in flight; returns the elapsed seconds. */
async function load(from, to, call) {
  let next = from;
  const start = process.hrtime.bigint();
  const worker = async () => {
    for (let i = next++; i < to; i = next++) await call(i);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const configMap = (i) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: `cm-${i}`, labels: { bench: 'true' } },
  data: { key: `value-${i}` },
});

/** One server under test: its process, a client-node API client, a keep-alive client and its watch. */
async function target(kind, k8s, dir) {
  const server = startServer(kind);
  const endpoint = await server.endpoint;
  const kc = kubeConfigFor(k8s, endpoint, dir, kind);
  const t = {
    kind,
    server,
    api: kc.makeApiClient(k8s.CoreV1Api),
    keepAlive: keepAliveClient(endpoint),
    empty: await server.memory(),
    seconds: {},
    // Client-side times per object: create answered, ADDED event received.
    answered: new Map(),
    added: new Map(),
  };
  t.abortWatch = await new k8s.Watch(kc).watch(
    `/api/v1/namespaces/${NAMESPACE}/configmaps`,
    {},
    (type, obj) => {
      if (type === 'ADDED') t.added.set(obj.metadata.name, performance.now());
    },
    () => undefined,
  );
  return t;
}

const PHASES = {
  create: (t) => async (i) => {
    await t.api.createNamespacedConfigMap({ namespace: NAMESPACE, body: configMap(i) });
    t.answered.set(`cm-${i}`, performance.now());
  },
  get: (t) => (i) => t.api.readNamespacedConfigMap({ name: `cm-${i}`, namespace: NAMESPACE }),
  // Distinct names from the client-node creates, so the object count only grows.
  keepAliveCreate: (t) => (i) =>
    t.keepAlive.call(
      'POST',
      `/api/v1/namespaces/${NAMESPACE}/configmaps`,
      JSON.stringify(configMap(OBJECTS + i)),
    ),
  keepAliveGet: (t) => (i) => t.keepAlive.call('GET', `/api/v1/namespaces/${NAMESPACE}/configmaps/cm-${i}`),
};

/** floor, dev, dev, floor: each side gets half the requests early and half late. */
async function phase(name, floor, dev) {
  const half = Math.floor(OBJECTS / 2);
  for (const [t, from, to] of [
    [floor, 0, half],
    [dev, 0, half],
    [dev, half, OBJECTS],
    [floor, half, OBJECTS],
  ]) {
    t.seconds[name] = (t.seconds[name] ?? 0) + (await load(from, to, PHASES[name](t)));
  }
}

async function main() {
  const k8s = await import(clientNode);
  const dir = mkdtempSync(join(tmpdir(), 'kelos-bench-'));
  try {
    const floor = await target('floor', k8s, dir);
    const dev = await target('devcluster', k8s, dir);
    for (const name of Object.keys(PHASES)) {
      await phase(name, floor, dev);
      if (name === 'get') dev.full = await dev.server.memory();
    }
    for (const t of [floor, dev]) {
      t.abortWatch.abort();
      t.keepAlive.close();
      await t.server.stop();
    }

    const rps = (t, name) => OBJECTS / t.seconds[name];
    const line = (label, name) => {
      const d = rps(dev, name);
      const f = rps(floor, name);
      console.log(
        `  ${label}: ${d.toFixed(0)} req/s (floor ${f.toFixed(0)} req/s, ratio ${(d / f).toFixed(2)})`,
      );
      return d / f;
    };
    console.log(`${OBJECTS} ConfigMaps, ${CONCURRENCY} requests in flight`);
    console.log('client-node 1.4 (it makes a new agent, so a new TLS connection, per request):');
    const ratios = [line('create', 'create'), line('get   ', 'get')];
    console.log('node:https with one keep-alive agent:');
    ratios.push(line('create', 'keepAliveCreate'), line('get   ', 'keepAliveGet'));

    // The event and the create's response race on two connections: negative means the event came first.
    const delays = [...dev.added]
      .filter(([name]) => dev.answered.has(name))
      .map(([name, at]) => at - dev.answered.get(name))
      .sort((a, b) => a - b);
    const ms = (p) => `${percentile(delays, p).toFixed(1)} ms`;
    console.log(
      `watch ADDED after the create's response (${delays.length} events, client-node creates): p50 ${ms(50)}, p99 ${ms(99)}`,
    );
    const mb = (b) => `${(b / 1024 / 1024).toFixed(0)} MB`;
    console.log(
      `API server process with ${OBJECTS} ConfigMaps: rss ${mb(dev.full.rss)} (empty ${mb(dev.empty.rss)}), ` +
        `heap used ${mb(dev.full.heapUsed)} (empty ${mb(dev.empty.heapUsed)})`,
    );
    const lowest = Math.min(...ratios);
    console.log(`lowest ratio ${lowest.toFixed(2)} (target >= 0.5)${lowest < 0.5 ? ' BELOW TARGET' : ''}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'serve') await runServer(process.argv[3]);
else await main();
