// A kelos-spawner watching a repository with 1,000 open issues (every fifth with two comments) on the
// fake GitHub of the test suite, creating its Tasks on the dev cluster's API server (no node, no
// controller: the Tasks are only created). The spawner runs in a child process with the built modules
// of kelos-spawner (the Spawner cycle, its GitHub integration and API client), so its ETag cache lives
// across cycles as in the real pod; the parent serves the API server and the fake GitHub.
// Measured per cycle: GitHub requests, 304s and quota spent (counted by the fake, cross-checked with the
// client's own figures), API server requests, Tasks created, and cycle time. Cycles: the first (empty
// cache, 1,000 Tasks to create), several with nothing changed (target: quota 0), one after a new
// comment on one issue, one after a new issue. Every cycle lists the issues (10 pages) and each issue's
// comments (the comment policy and {{.Comments}} need them): about 1,010 requests, all conditional.
// Last, the bin runs one cycle in a fresh process with --one-shot, bundled as the images ship it and
// unbundled from dist/: their peak RSS. BENCH_ISSUES and BENCH_UNCHANGED_CYCLES change the sizes.
// Run after `pnpm build` (tsc -b and the bundles): node bench/run.mjs spawner
import { fork, spawn } from 'node:child_process';
import { subscribe } from 'node:diagnostics_channel';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { processMemory } from './proc-memory.mjs';
import { shebangNodeFlags } from './shebang-node-flags.mjs';

const self = fileURLToPath(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const ISSUES = Number(process.env.BENCH_ISSUES ?? 1000);
const UNCHANGED_CYCLES = Number(process.env.BENCH_UNCHANGED_CYCLES ?? 5);
const NAMESPACE = 'bench';
const SPAWNER = 'issues';
const OWNER = 'acme';
const REPO = 'widgets';
const TOKEN = 'ghp_bench';

// ---- the spawner (a child process, so it does not share the servers' event loop) ----

async function spawnerProcess({ kubeconfig, githubUrl }) {
  const dist = (path) => import(pathToFileURL(join(root, 'packages/controller/dist', path)).href);
  const { loadKubeConfig, makeClients } = await dist('runtime/kube-client.js');
  const { createLogger } = await dist('runtime/logger.js');
  const { spawnerApi } = await dist('spawner/spawner-api.js');
  const { spawnerIntegrations } = await dist('spawner/integrations.js');
  const { createGitHubIntegration } = await dist('spawner/github/index.js');
  const { Spawner } = await dist('spawner/spawner.js');

  const log = createLogger({ level: 'error' });
  const api = spawnerApi(makeClients(loadKubeConfig({ kubeconfig })), {
    namespace: NAMESPACE,
    name: SPAWNER,
  });
  // As kelos-spawner builds it from --github-owner/--github-repo/--github-api-base-url and GITHUB_TOKEN.
  const github = createGitHubIntegration(
    { owner: OWNER, repo: REPO, apiBaseUrl: githubUrl, token: TOKEN },
    { logger: log },
  );
  const spawner = new Spawner({ api, integrations: spawnerIntegrations(github), now: () => new Date(), log });
  process.on('message', async () => {
    const before = github.client.stats();
    const start = performance.now();
    await spawner.runOnce();
    const ms = performance.now() - start;
    const after = github.client.stats();
    process.send({
      ms,
      requests: after.requests - before.requests,
      notModified: after.notModified - before.notModified,
      quotaUsed: after.quotaUsed - before.quotaUsed,
      cacheEntries: after.cacheEntries,
      cacheMB: after.cacheBytes / 1024 / 1024,
      rssMB: process.memoryUsage().rss / 1024 / 1024,
    });
  });
  process.send('ready');
}

// ---- the servers and the measurement ----

/**
 * The suite's fake GitHub lives in TypeScript under packages/controller/test/helpers; it is transpiled
 * (types stripped, nothing else) next to itself in a temporary directory and imported from there.
 */
async function importFakeGitHub(dir) {
  const ts = (await import('typescript')).default;
  const helpers = join(root, 'packages/controller/test/helpers');
  const out = join(dir, 'fake');
  mkdirSync(out);
  for (const file of ['fake-github.ts', 'fake-github-repo.ts']) {
    const { outputText } = ts.transpileModule(readFileSync(join(helpers, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(join(out, file.replace(/\.ts$/, '.js')), outputText);
  }
  return import(pathToFileURL(join(out, 'fake-github-repo.js')).href);
}

/** Requests the API server (HTTPS) receives while counting; the fake GitHub (plain HTTP) is left out. */
function apiRequestCounter() {
  let count = 0;
  subscribe('http.server.request.start', ({ request }) => {
    if (request.socket.encrypted) count++;
  });
  return () => count;
}

function taskSpawner() {
  return {
    apiVersion: 'kelos.dev/v1alpha1',
    kind: 'TaskSpawner',
    metadata: { name: SPAWNER, namespace: NAMESPACE },
    spec: {
      when: { githubIssues: { labels: ['kelos'] } },
      taskTemplate: {
        type: 'claude-code',
        credentials: { type: 'oauth', secretRef: { name: 'claude-credentials' } },
        workspaceRef: { name: 'widgets' },
        branch: 'kelos-issue-{{.Number}}',
        promptTemplate: 'Fix issue #{{.Number}}: {{.Title}}\n\n{{.Body}}\n{{.Comments}}',
      },
    },
  };
}

async function main() {
  const { startDevCluster } = await import(join(root, 'packages/devcluster/dist/index.js'));
  const { buildCrd, KIND_ORDER } = await import(join(root, 'packages/shared/dist/index.js'));
  const dir = mkdtempSync(join(tmpdir(), 'kelos-spawner-bench-'));
  const { FakeGitHubRepo } = await importFakeGitHub(dir);

  const github = new FakeGitHubRepo({ owner: OWNER, repo: REPO });
  github.addToken(TOKEN, 'kelos-bot');
  for (let i = 1; i <= ISSUES; i++) {
    github.addIssue({ title: `Issue ${i}`, body: `Steps to reproduce issue ${i}.`, labels: ['kelos'] });
    if (i % 5 === 0) {
      github.addComment(i, 'alice', `I can reproduce ${i}.`);
      github.addComment(i, 'bob', 'Same here, on main.');
    }
  }
  await github.start();

  const cluster = await startDevCluster({ node: false });
  const { client } = cluster;
  for (const kind of KIND_ORDER)
    client.create('customresourcedefinitions.apiextensions.k8s.io', buildCrd(kind));
  client.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  client.create('taskspawners.kelos.dev', taskSpawner());
  const kubeconfig = join(dir, 'kubeconfig');
  cluster.writeKubeconfig(kubeconfig);
  const apiRequests = apiRequestCounter();

  const child = fork(self, ['spawner'], {
    stdio: 'inherit',
    // As shipped: the node flags of kelos-spawner's shebang, which the image's ENTRYPOINT passes too.
    execArgv: shebangNodeFlags(join(root, 'packages/controller/dist/spawner/main.js')),
  });
  const replies = [];
  let waiting;
  child.on('message', (message) => {
    if (waiting) waiting(message);
    else replies.push(message);
  });
  const next = () =>
    replies.length ? Promise.resolve(replies.shift()) : new Promise((resolve) => (waiting = resolve));
  child.send({ kubeconfig, githubUrl: github.url });
  if ((await next()) !== 'ready') throw new Error('the spawner process did not start');

  const tasks = () => client.list('tasks.kelos.dev', { namespace: NAMESPACE }).items.length;
  const rows = [];
  async function cycle(label) {
    const mark = github.requests.length;
    const api = apiRequests();
    const tasksBefore = tasks();
    waiting = undefined;
    child.send('cycle');
    const figures = await new Promise((resolve) => (waiting = resolve));
    waiting = undefined;
    const received = github.requests.slice(mark);
    const row = {
      label,
      ...figures,
      served: received.length,
      served304: received.filter((r) => r.status === 304).length,
      quota: github.quotaSpentSince(mark),
      api: apiRequests() - api,
      created: tasks() - tasksBefore,
    };
    rows.push(row);
    console.log(
      `  ${label.padEnd(28)} ${row.ms.toFixed(0).padStart(6)} ms  GitHub requests ${String(row.served).padStart(5)} (304: ${String(row.served304).padStart(5)})  quota ${String(row.quota).padStart(5)}  API requests ${String(row.api).padStart(5)}  Tasks created ${String(row.created).padStart(5)}`,
    );
    if (row.requests !== row.served || row.quotaUsed !== row.quota) {
      console.log(
        `    (client counted ${row.requests} requests, ${row.quotaUsed} quota: differs from the fake's count)`,
      );
    }
  }

  console.log(`${ISSUES} open issues labelled kelos (${ISSUES / 5} with 2 comments), one spawner process:`);
  await cycle('first cycle (empty cache)');
  for (let i = 1; i <= UNCHANGED_CYCLES; i++) await cycle(`unchanged cycle ${i}`);
  github.addComment(ISSUES, 'carol', 'One more detail.');
  await cycle('after 1 new comment');
  github.addIssue({ title: 'A new issue', labels: ['kelos'] });
  // Every page shifts by one; with 1,001 issues the oldest falls past the 10 pages of 100 read (§10.4).
  await cycle('after 1 new issue');

  const unchanged = rows.filter((r) => r.label.startsWith('unchanged'));
  const worst = Math.max(...unchanged.map((r) => r.quota));
  const meanMs = unchanged.reduce((sum, r) => sum + r.ms, 0) / unchanged.length;
  const last = rows.at(-1);
  console.log(
    `unchanged cycles: quota ${worst === 0 ? '0' : `up to ${worst}`} (target 0), mean cycle time ${meanMs.toFixed(0)} ms`,
  );
  console.log(
    `spawner process: RSS ${last.rssMB.toFixed(0)} MB, ETag cache ${last.cacheEntries} entries, ${last.cacheMB.toFixed(1)} MB`,
  );

  child.kill('SIGKILL');

  // The bin as the images ship it (the bundle), and unbundled from dist/ for comparison, each for one
  // cycle in a fresh process, as the CronJob runs it: no ETag cache yet, every Task already there.
  // Peak resident sets are sampled from /proc.
  for (const [label, bin] of [
    ['from dist/', join(root, 'packages/controller/dist/spawner/main.js')],
    ['bundled', join(root, 'packages/controller/dist/bundle/kelos-spawner.mjs')],
  ]) {
    const oneShot = spawn(
      process.execPath,
      [
        ...shebangNodeFlags(bin),
        bin,
        `--taskspawner-name=${SPAWNER}`,
        `--taskspawner-namespace=${NAMESPACE}`,
        `--kubeconfig=${kubeconfig}`,
        `--github-owner=${OWNER}`,
        `--github-repo=${REPO}`,
        `--github-api-base-url=${github.url}`,
        '--metrics-bind-address=0',
        '--log-level=error',
        '--one-shot',
      ],
      { env: { ...process.env, GITHUB_TOKEN: TOKEN }, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const mark = github.requests.length;
    const started = performance.now();
    let peakMB = 0;
    const sampler = setInterval(() => {
      try {
        peakMB = Math.max(peakMB, processMemory(oneShot.pid).peak);
      } catch {
        // Exited between two samples.
      }
    }, 10);
    const code = await new Promise((resolve) => oneShot.once('exit', resolve));
    clearInterval(sampler);
    console.log(
      `kelos-spawner --one-shot ${label} (fresh process): exit ${code}, ${(performance.now() - started).toFixed(0)} ms, GitHub requests ${github.requests.length - mark}, peak RSS ${peakMB.toFixed(0)} MB`,
    );
  }

  await github.stop();
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}

// Dispatch last: main() uses the module's constants, which must be initialised first.
if (process.argv[2] === 'spawner') {
  process.once('message', (endpoints) => {
    spawnerProcess(endpoints).catch((err) => {
      console.error(err);
      process.exit(1);
    });
  });
} else {
  await main();
}
