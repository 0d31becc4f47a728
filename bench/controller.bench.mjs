// The controller's throughput on the dev cluster's API server (no node: pods never run, so every Task
// stops at Pending with its Job). 1,000 Tasks are created at once while the kelos-controller binary runs
// as its own process, after 100 warm-up Tasks (the raw client below warms up with 100 creates too);
// measured: time until every Task has its Job and phase Pending, Tasks/s, the latency from a Task's
// create to its Job's ADDED event (p50/p99), and the controller's peak RSS.
// The floor is the same API server's raw create rate for one client (ConfigMaps, one request in flight,
// keep-alive, from another process): a Task costs several writes (finalizer, Job, status, event), so the
// ratio Tasks/s ÷ creates/s says how close the controller gets to one write per Task (target >= 0.4).
// Then the controller's RSS with 10,000 Tasks (and their Jobs) in its caches (target < 150 MB), and
// whether every one of them got its TaskCreated Event (the recorder drops what overflows its queue);
// BENCH_LARGE=0 skips that phase. The API server counts the requests it serves during the 1,000-Task
// phase, by method and resource, so the requests per Task are printed too.
// BENCH_CPU_PROF=DIR runs the controller with --cpu-prof into DIR and stops it with SIGTERM (so that the
// profile is written) instead of SIGKILL.
// Run after `pnpm build` (tsc -b and the bundles): node bench/run.mjs controller
import { fork, spawn } from 'node:child_process';
import { subscribe } from 'node:diagnostics_channel';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processMemory } from './proc-memory.mjs';
import { shebangNodeFlags } from './shebang-node-flags.mjs';

const self = fileURLToPath(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const TASKS = Number(process.env.BENCH_TASKS ?? 1000);
const LARGE = process.env.BENCH_LARGE === '0' ? 0 : Number(process.env.BENCH_LARGE_TASKS ?? 10_000);
const RAW_CREATES = 2000;
const WARM_UP = 100;
const NAMESPACE = 'bench';
const CPU_PROF = process.env.BENCH_CPU_PROF;

// ---- the raw client (a child process, so it does not share the API server's event loop) ----

async function rawClient({ url, caCert, token }) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: caCert });
  const create = (i) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `raw-${i}` },
        data: { key: 'value' },
      });
      const req = request(
        `${url}/api/v1/namespaces/${NAMESPACE}/configmaps`,
        {
          method: 'POST',
          agent,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`${res.statusCode}`))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  // Warm-up: TLS handshake and JIT, not measured.
  for (let i = 0; i < WARM_UP; i++) await create(`warm-${i}`);
  const start = performance.now();
  for (let i = 0; i < RAW_CREATES; i++) await create(i);
  return RAW_CREATES / ((performance.now() - start) / 1000);
}

// ---- the benchmark ----

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** CPU time (user + system) a process has used, in ms, from /proc (clock ticks of 10 ms). */
function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Requests the in-process API server receives, by `METHOD resource[/subresource]` (watches apart), from the
 * moment `start()` is called until `stop()`: Node publishes every request an http(s) server receives. The
 * subscriber only keeps method and URL; they are sorted into keys after the phase, so that counting does
 * not add to the API server's CPU while it is measured.
 */
function requestCounter() {
  const seen = [];
  let counting = false;
  subscribe('http.server.request.start', ({ request }) => {
    if (counting) seen.push(request.method, request.url);
  });
  const keyOf = (method, path) => {
    const url = new URL(path, 'https://x');
    const parts = url.pathname.split('/').filter(Boolean);
    const ns = parts.indexOf('namespaces');
    // .../namespaces/NS/RESOURCE[/NAME[/SUBRESOURCE]], or a cluster-wide collection.
    const rest = ns >= 0 ? parts.slice(ns + 2) : parts.slice(parts[0] === 'api' ? 2 : 3);
    const resource = rest[2] ? `${rest[0]}/${rest[2]}` : (rest[0] ?? url.pathname);
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    return `${watch ? 'WATCH' : method} ${resource}`;
  };
  return {
    start: () => {
      counting = true;
    },
    stop: () => {
      counting = false;
      const counts = new Map();
      for (let i = 0; i < seen.length; i += 2) {
        const key = keyOf(seen[i], seen[i + 1]);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return counts;
    },
  };
}

function task(name) {
  return {
    apiVersion: 'kelos.dev/v1alpha1',
    kind: 'Task',
    metadata: { name, namespace: NAMESPACE },
    spec: {
      type: 'claude-code',
      prompt: `Benchmark ${name}`,
      credentials: { type: 'oauth', secretRef: { name: 'claude-credentials' } },
    },
  };
}

async function main() {
  const { startDevCluster } = await import(join(root, 'packages/devcluster/dist/index.js'));
  const { buildCrd, KIND_ORDER } = await import(join(root, 'packages/shared/dist/index.js'));
  const dir = mkdtempSync(join(tmpdir(), 'kelos-controller-bench-'));
  const requests = requestCounter();
  const cluster = await startDevCluster({ node: false });
  const { client } = cluster;
  for (const kind of KIND_ORDER) {
    client.create('customresourcedefinitions.apiextensions.k8s.io', buildCrd(kind));
  }
  client.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  const kubeconfig = join(dir, 'kubeconfig');
  cluster.writeKubeconfig(kubeconfig);

  const raw = fork(self, ['raw-client'], { stdio: 'inherit' });
  const rawRate = await new Promise((resolve, reject) => {
    raw.once('message', resolve);
    raw.once('exit', (code) => code !== 0 && reject(new Error(`raw client exited ${code}`)));
    raw.send({ url: cluster.url, caCert: cluster.caCert, token: cluster.adminToken });
  });

  const healthPort = await freePort();
  // The bin as the image ships it (packages/controller/scripts/bundle.mjs).
  const main = join(root, 'packages/controller/dist/bundle/kelos-controller.mjs');
  const controller = spawn(
    process.execPath,
    [
      // As shipped: the node flags of the bin's shebang, which the image's ENTRYPOINT passes too.
      ...shebangNodeFlags(main),
      ...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : []),
      main,
      '--kubeconfig',
      kubeconfig,
      '--leader-elect=false',
      '--metrics-bind-address=0',
      `--health-probe-bind-address=127.0.0.1:${healthPort}`,
      '--log-level=error',
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  // Ready once its caches synced: measure Task handling, not start-up.
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${healthPort}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await sleep(50);
  }
  const idle = processMemory(controller.pid);

  const created = new Map();
  const jobLatency = [];
  let pending = 0;
  // Resolved by the watch event that completes a phase, so that its end is not rounded up to a poll.
  let phaseDone = { until: 0, resolve: () => {} };
  const checkDone = () => {
    if (pending >= phaseDone.until && jobLatency.length >= phaseDone.until) phaseDone.resolve();
  };
  const stopJobs = client.watch('jobs.batch', { namespace: NAMESPACE }, (type, job) => {
    const at = created.get(job.metadata.name);
    if (type === 'ADDED' && at !== undefined) jobLatency.push(performance.now() - at);
    checkDone();
  });
  const pendingSeen = new Set();
  const stopTasks = client.watch('tasks.kelos.dev', { namespace: NAMESPACE }, (_type, t) => {
    if (t.status?.phase === 'Pending' && !pendingSeen.has(t.metadata.name)) {
      pendingSeen.add(t.metadata.name);
      pending++;
      checkDone();
    }
  });

  async function run(from, to) {
    const done = new Promise((resolve) => {
      phaseDone = { until: to, resolve };
    });
    const start = performance.now();
    for (let i = from; i < to; i++) {
      const name = `task-${i}`;
      created.set(name, performance.now());
      client.create('tasks.kelos.dev', task(name));
    }
    const createdIn = performance.now() - start;
    await done;
    return { seconds: (performance.now() - start) / 1000, createdIn };
  }

  // The same warm-up the raw client gets (100 creates before its clock starts), so both sides of the
  // ratio are measured with warm JIT: Tasks numbered below WARM_UP are not counted.
  await run(0, WARM_UP);
  requests.start();
  const cpuBefore = { controller: cpuMs(controller.pid), server: process.cpuUsage() };
  const first = await run(WARM_UP, WARM_UP + TASKS);
  const served = requests.stop();
  const cpu = {
    controller: cpuMs(controller.pid) - cpuBefore.controller,
    server: (({ user, system }) => (user + system) / 1000)(process.cpuUsage(cpuBefore.server)),
  };
  const sorted = jobLatency.slice(WARM_UP).sort((a, b) => a - b);
  const tasksPerSecond = TASKS / first.seconds;
  const afterFirst = processMemory(controller.pid);
  console.log(
    `${TASKS} Tasks created at once (in-process, ${first.createdIn.toFixed(0)} ms), controller as a process:`,
  );
  console.log(
    `  every Task with its Job and phase Pending after ${first.seconds.toFixed(2)} s: ${tasksPerSecond.toFixed(0)} Tasks/s`,
  );
  console.log(
    `  Task create -> Job ADDED: p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms`,
  );
  console.log(`  controller RSS: idle ${idle.rss.toFixed(0)} MB, peak ${afterFirst.peak.toFixed(0)} MB`);
  // CPU time, unlike wall time, hardly depends on what else the machine runs.
  console.log(
    `  CPU per Task: controller ${(cpu.controller / TASKS).toFixed(2)} ms, API server (with this bench's creates and watches) ${(cpu.server / TASKS).toFixed(2)} ms`,
  );
  // The bench creates and watches in-process: every HTTP request during the phase is the controller's.
  const byController = [...served].sort((a, b) => b[1] - a[1]);
  const total = byController.reduce((sum, [, n]) => sum + n, 0);
  console.log(
    `  API requests by the controller: ${(total / TASKS).toFixed(2)} per Task (${byController
      .map(([key, n]) => `${key} ${(n / TASKS).toFixed(2)}`)
      .join(', ')})`,
  );
  console.log(`raw single-client ConfigMap creates (keep-alive, 1 in flight): ${rawRate.toFixed(0)} req/s`);
  console.log(`ratio Tasks/s / creates/s: ${(tasksPerSecond / rawRate).toFixed(2)} (target >= 0.4)`);

  if (LARGE > TASKS) {
    const largeCpuBefore = { controller: cpuMs(controller.pid), server: process.cpuUsage() };
    const large = await run(WARM_UP + TASKS, WARM_UP + LARGE);
    const largeCpu = {
      controller: cpuMs(controller.pid) - largeCpuBefore.controller,
      server: (({ user, system }) => (user + system) / 1000)(process.cpuUsage(largeCpuBefore.server)),
    };
    // Let the last status writes and GC settle before reading the resident set of a steady cache.
    await sleep(3000);
    const steady = processMemory(controller.pid);
    console.log(
      `${LARGE} Tasks (+${LARGE - TASKS} in ${large.seconds.toFixed(1)} s, ${((LARGE - TASKS) / large.seconds).toFixed(0)} Tasks/s) cached with their Jobs:`,
    );
    // The same floor as above: what share of the raw create rate the controller sustains once warm.
    console.log(
      `  sustained ratio Tasks/s / creates/s: ${((LARGE - TASKS) / large.seconds / rawRate).toFixed(2)}`,
    );
    console.log(
      `  CPU per Task (warm): controller ${(largeCpu.controller / (LARGE - TASKS)).toFixed(2)} ms, API server ${(largeCpu.server / (LARGE - TASKS)).toFixed(2)} ms`,
    );
    console.log(
      `  controller RSS ${steady.rss.toFixed(0)} MB, peak ${steady.peak.toFixed(0)} MB (target < 150 MB)`,
    );
    // Events are written in the background from a bounded queue: one that falls behind drops them.
    const taskCreated = client
      .list('events', { namespace: NAMESPACE })
      .items.filter((e) => e.reason === 'TaskCreated').length;
    console.log(`  TaskCreated Events: ${taskCreated} for ${WARM_UP + LARGE} Tasks`);
  }

  stopJobs();
  stopTasks();
  if (CPU_PROF) {
    const exited = new Promise((resolve) => controller.once('exit', resolve));
    controller.kill('SIGTERM');
    await exited;
  } else {
    controller.kill('SIGKILL');
  }
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}

// Dispatch last: main() uses the module's constants, which must be initialised first.
if (process.argv[2] === 'raw-client') {
  process.once('message', async (endpoint) => {
    process.send(await rawClient(endpoint));
    process.exit(0);
  });
} else {
  await main();
}
