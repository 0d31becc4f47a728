// The one-command demo (`npx -y pnpm@9.15.9 demo`, which builds first): every step a user would take,
// with the built kelos CLI, on a dev cluster of its own that is shut down at the end, even after a
// failure or Ctrl-C. The agent is the fake one of agents/fake: no model, no credentials, real git.
// With --host-agents it is the claude CLI on your PATH instead, with the credential from
// CLAUDE_CODE_OAUTH_TOKEN or ANTHROPIC_API_KEY (`kelos dev up --host-agents`, README "The demo").
//
// 1. kelos dev up           an embedded cluster in a temporary directory
// 2. kelos install          the controller, running from this checkout's build
// 3. a local git repository seeded from examples/demo, served by `git daemon` (pods share the
//    host's network, so they reach it on 127.0.0.1)
// 4. kelos create workspace, kelos run --type claude-code, kelos logs -f
// 5. the Task's branch, commit and cost from `kelos get task -o json`, and the pushed commit
// 6. kelos dev down
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const USAGE = 'usage: node scripts/demo.mjs [--host-agents]';
const args = process.argv.slice(2);
if (args.some((a) => a !== '--host-agents')) {
  console.error(USAGE);
  process.exit(2);
}
const hostAgents = args.includes('--host-agents');
// The claude CLI's credential, as `kelos init` would write it into the config file.
const credential = process.env.CLAUDE_CODE_OAUTH_TOKEN
  ? { oauthToken: process.env.CLAUDE_CODE_OAUTH_TOKEN }
  : process.env.ANTHROPIC_API_KEY
    ? { apiKey: process.env.ANTHROPIC_API_KEY }
    : undefined;
if (hostAgents && !credential) {
  console.error(
    'demo --host-agents runs the claude CLI on your PATH: set CLAUDE_CODE_OAUTH_TOKEN (from `claude setup-token`) or ANTHROPIC_API_KEY',
  );
  process.exit(2);
}

const checkout = fileURLToPath(new URL('..', import.meta.url));
// The `kelos` bin of packages/cli.
const kelosMain = join(checkout, 'packages/cli/dist/bundle/kelos.js');
const work = mkdtempSync(join(tmpdir(), 'kelos-demo-'));
const devDir = join(work, 'dev');
const kubeconfig = join(devDir, 'kubeconfig');
// The demo's own config file (empty for the fake agent): the user's ~/.kelos/config.yaml must not
// change what it runs.
const config = join(work, 'config.yaml');
const [credentialKey, credentialValue] = Object.entries(credential ?? {})[0] ?? [];
writeFileSync(config, hostAgents ? `${credentialKey}: ${JSON.stringify(credentialValue)}\n` : '', {
  mode: 0o600,
});
const env = { ...process.env, KUBECONFIG: kubeconfig, NO_COLOR: process.env.NO_COLOR ?? '' };
const taskName = `demo-${Date.now().toString(36).slice(-5)}`;
const branch = `kelos/${taskName}`;

const bold = (text) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\u001b[1m${text}\u001b[22m` : text);

function step(text) {
  console.log(`\n${bold(`==> ${text}`)}`);
}

/** Runs the CLI as a user would type it (shown as `kelos …`), with its output on the terminal. */
function kelos(args, { capture = false } = {}) {
  step(`kelos ${args.join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [kelosMain, ...args, '--config', config], {
      env,
      stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    });
    let stdout = '';
    child.stdout?.on('data', (d) => {
      stdout += d;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`kelos ${args[0]} exited with ${code}`)),
    );
  });
}

function git(cwd, ...args) {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: work,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Kelos Demo',
      GIT_AUTHOR_EMAIL: 'demo@kelos.dev',
      GIT_COMMITTER_NAME: 'Kelos Demo',
      GIT_COMMITTER_EMAIL: 'demo@kelos.dev',
    },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr || r.error}`);
  return r.stdout.trim();
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port, child) {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`git daemon exited with ${child.exitCode}`);
    const open = await new Promise((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`git daemon did not listen on port ${port}`);
}

/** A bare repository with examples/demo as its first commit on main, served read-write over git://. */
async function serveRepository() {
  const seed = join(work, 'seed');
  const repos = join(work, 'git');
  cpSync(join(checkout, 'examples/demo'), seed, { recursive: true });
  git(seed, 'init', '-q', '-b', 'main');
  git(seed, 'add', '.');
  git(seed, 'commit', '-q', '-m', 'Initial commit');
  git(work, 'clone', '-q', '--bare', seed, join(repos, 'demo.git'));
  const port = await freePort();
  const daemon = spawn(
    'git',
    [
      'daemon',
      '--reuseaddr',
      '--listen=127.0.0.1',
      `--port=${port}`,
      `--base-path=${repos}`,
      '--export-all',
      '--enable=receive-pack',
      repos,
    ],
    { stdio: 'ignore' },
  );
  await waitForPort(port, daemon);
  return { url: `git://127.0.0.1:${port}/demo.git`, bare: join(repos, 'demo.git'), daemon };
}

let daemon;
let devStarted = false;
let cleaning;

/** Stops what the demo started; safe to call twice (a failure, then Ctrl-C). */
function cleanup() {
  cleaning ??= (async () => {
    daemon?.kill('SIGTERM');
    if (devStarted) {
      step(`kelos dev down --data-dir ${devDir}`);
      spawnSync(process.execPath, [kelosMain, 'dev', 'down', '--data-dir', devDir], {
        env,
        stdio: 'inherit',
      });
    }
    rmSync(work, { recursive: true, force: true });
  })();
  return cleaning;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    // On Ctrl-C the terminal signals the running kelos command too; its failure is not the story.
    interrupted = true;
    console.error(`\n${signal}: cleaning up`);
    cleanup().finally(() => process.exit(130));
  });
}

async function main() {
  devStarted = true;
  await kelos(['dev', 'up', '--data-dir', devDir, ...(hostAgents ? ['--host-agents'] : [])]);
  console.log(`\n(every command below runs with KUBECONFIG=${kubeconfig})`);
  await kelos(['install']);

  step(`git daemon: a local repository seeded from examples/demo`);
  const repo = await serveRepository();
  daemon = repo.daemon;
  console.log(`serving ${repo.url}`);

  await kelos(['create', 'workspace', 'demo', '--repo', repo.url, '--ref', 'main']);
  await kelos([
    'run',
    '--type',
    'claude-code',
    // The fake agent needs no credential; the real one gets the Secret `kelos run` makes from the config.
    ...(hostAgents ? [] : ['--credential-type', 'none']),
    '--workspace',
    'demo',
    '--branch',
    branch,
    '--name',
    taskName,
    '-p',
    'Make hello.sh greet the user by name, then commit and push the branch',
  ]);
  await kelos(['logs', taskName, '-f']);

  const task = JSON.parse(await kelos(['get', 'task', taskName, '-o', 'json'], { capture: true }));
  const results = task.status?.results ?? {};
  console.log(`phase:  ${task.status?.phase}`);
  console.log(`branch: ${results.branch ?? '(none)'}`);
  console.log(`commit: ${results.commit ?? '(none)'}`);
  console.log(
    `cost:   $${results['cost-usd'] ?? '?'} (${results['input-tokens'] ?? '?'} input, ${results['output-tokens'] ?? '?'} output tokens)`,
  );
  if (task.status?.phase !== 'Succeeded') throw new Error(`task ${taskName} ended ${task.status?.phase}`);

  step(`git log ${branch} (in the served repository)`);
  console.log(git(repo.bare, 'log', '--format=%h %an: %s', '-n', '2', branch));
}

try {
  await main();
  await cleanup();
  console.log(
    `\n${bold('Demo finished.')} Try it on a real cluster with a real agent: see "The demo" in README.md.`,
  );
} catch (err) {
  if (!interrupted) console.error(`\ndemo failed: ${err.message}`);
  await cleanup();
  process.exit(interrupted ? 130 : 1);
}
