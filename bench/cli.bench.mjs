// Cold start of the kelos CLI: `kelos --help` and `kelos get tasks` (20 Tasks, against the dev
// cluster's API server) against `node -e 0`, all measured in the same run (target: within 2x of bare
// Node). `kelos` is the bin, packages/cli/dist/bundle/kelos.js; the unbundled rows run the tsc output it
// is bundled from, to show what bundling buys. Each round runs every command once, one after another, so
// a busy moment of the machine hits all of them alike; the figures are medians over the rounds.
// Run after `pnpm build`: node bench/run.mjs cli
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const kelosBin = join(root, 'packages/cli/dist/bundle/kelos.js');
const kelosUnbundled = join(root, 'packages/cli/dist/main.js');
const devclusterBin = join(root, 'packages/devcluster/dist/bin.js');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const WARMUP = 3;
const TASKS = 20;

const dir = mkdtempSync(join(tmpdir(), 'kelos-cli-bench-'));
const kubeconfig = join(dir, 'kubeconfig');
// A HOME of its own: no ~/.kelos/config.yaml or ~/.kube/config of the user's is read.
const env = { PATH: process.env.PATH, HOME: dir, KUBECONFIG: kubeconfig };

/** The API server alone (no node: nothing runs), in its own process so it never shares our CPU time. */
async function startApiServer() {
  const child = spawn(process.execPath, [devclusterBin, '--no-node', '--kubeconfig', kubeconfig], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(undefined);
    });
    child.on('exit', (code) => reject(new Error(`kelos-devcluster exited with ${code}`)));
  });
  return child;
}

function kelos(...args) {
  const r = spawnSync(process.execPath, [kelosBin, ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`kelos ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

function seconds(command, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { env, stdio: 'ignore' });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${[command, ...args].join(' ')} exited with ${r.status}`);
  return elapsed;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const server = await startApiServer();
try {
  kelos('install', '--no-wait');
  for (let i = 0; i < TASKS; i++) {
    kelos('run', '-p', `Task ${i}`, '--secret', 'bench', '--name', `bench-${i}`);
  }
  const listed = kelos('get', 'tasks').trim().split('\n').length - 1;
  if (listed !== TASKS) throw new Error(`kelos get tasks listed ${listed} Tasks, wanted ${TASKS}`);
  const { server: url } = /server: (?<server>\S+)/.exec(readFileSync(kubeconfig, 'utf8')).groups;

  // The floor of `get tasks`: a bare Node script making the same request, with no kubeconfig parser,
  // no CLI framework and no table.
  const bareGet = join(dir, 'bare-get.mjs');
  writeFileSync(
    bareGet,
    `import { get } from 'node:https';
const kc = ${JSON.stringify(readFileSync(kubeconfig, 'utf8'))};
const field = (k) => new RegExp(k + ': (\\\\S+)').exec(kc)[1];
get(field('server') + '/apis/kelos.dev/v1alpha1/namespaces/default/tasks', {
  ca: Buffer.from(field('certificate-authority-data'), 'base64'),
  headers: { authorization: 'Bearer ' + field('token') },
}, (res) => { let body = ''; res.on('data', (d) => { body += d; }); res.on('end', () => JSON.parse(body)); });
`,
  );

  const commands = [
    { label: 'node -e 0', args: ['-e', '0'] },
    { label: 'node: one GET', args: [bareGet] },
    // Part of that floor: Node 20 parses its bundled root certificates for the first TLS context of a
    // process, even one given its own \`ca\`.
    { label: 'node: TLS context', args: ['-e', "require('node:tls').createSecureContext({})"] },
    { label: 'kelos --help', args: [kelosBin, '--help'] },
    { label: 'kelos get tasks', args: [kelosBin, 'get', 'tasks'] },
    { label: 'unbundled --help', args: [kelosUnbundled, '--help'] },
    { label: 'unbundled get tasks', args: [kelosUnbundled, 'get', 'tasks'] },
  ];
  const times = commands.map(() => []);
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    commands.forEach((c, i) => {
      const t = seconds(process.execPath, c.args);
      if (round >= WARMUP) times[i].push(t);
    });
  }
  const medians = times.map(median);
  const bare = medians[0];
  console.log(`${ROUNDS} rounds, node ${process.version}, API server ${url}, ${TASKS} Tasks`);
  commands.forEach((c, i) => {
    const ratio = i === 0 ? '' : `, ratio ${(medians[i] / bare).toFixed(2)}`;
    const spread = `min ${(Math.min(...times[i]) * 1000).toFixed(0)} ms, max ${(Math.max(...times[i]) * 1000).toFixed(0)} ms`;
    console.log(`${c.label.padEnd(19)}: median ${(medians[i] * 1000).toFixed(0)} ms (${spread})${ratio}`);
  });
  const medianOf = (label) => medians[commands.findIndex((c) => c.label === label)];
  // The target is about the bin, the two kelos rows.
  const help = medianOf('kelos --help') / bare;
  const get = medianOf('kelos get tasks') / bare;
  console.log(
    `kelos --help ${help.toFixed(2)}x, kelos get tasks ${get.toFixed(2)}x of node -e 0 (target <= 2)`,
  );
  console.log(
    `kelos get tasks ${(medianOf('kelos get tasks') / medianOf('node: one GET')).toFixed(2)}x of the bare GET`,
  );
} finally {
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
