import { spawn, spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, MAIN, Sandbox, spawnAsync } from './cli-harness.js';

let sandbox: Sandbox;

beforeAll(() => {
  sandbox = new Sandbox();
});

afterAll(() => {
  sandbox.remove();
});

describe('kelos without a cluster', () => {
  it('ends quietly with exit 0 when the reader of its output goes away (| head)', async () => {
    const child = spawn(process.execPath, [MAIN, 'run', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Closing our end before the CLI writes makes its first write fail with EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('prints help for `kelos`, `--help` and `help <command>` and exits 0', async () => {
    for (const args of [[], ['--help'], ['help', 'get']]) {
      const r = await sandbox.run(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toContain('Usage: kelos');
    }
    const root = await sandbox.run(['--help']);
    for (const command of [
      'init',
      'install',
      'uninstall',
      'run',
      'create',
      'get',
      'delete',
      'suspend',
      'resume',
      'completion',
      'version',
    ]) {
      expect(root.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(root.stdout).toContain('CLI for managing AI agent Tasks on Kubernetes');
  });

  it('shows the global flags in every subcommand help', async () => {
    const r = await sandbox.run(['get', 'tasks', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: kelos get task|tasks [options] [name]');
    for (const flag of [
      '--config',
      '--kubeconfig',
      '--context',
      '-n, --namespace',
      '--no-color',
      '-v, --verbose',
      '-A, --all-namespaces',
    ]) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('prints the version', async () => {
    const r = await sandbox.run(['version']);
    expect(r).toEqual({ code: 0, stdout: 'latest\n', stderr: '' });
  });

  it('exits 2 with one Error line and a hint on a wrong command line', async () => {
    const cases: [string[], string, string][] = [
      [['gte'], "Error: unknown command 'gte'", 'Did you mean get?'],
      [
        ['get', 'tasks', '--bogus'],
        "Error: unknown option '--bogus'",
        "Run 'kelos get task --help' for usage.",
      ],
      [['get'], 'Error: must specify a resource type', ''],
      [
        ['get', 'pods'],
        'Error: unknown resource type "pods": must be one of task, taskspawner, workspace, agentconfig',
        '',
      ],
      [
        ['get', 'tasks', 'a', 'b'],
        'Error: too many arguments: expected 1 task name, got 2',
        'Usage: kelos get task [options] [name]',
      ],
      [
        ['get', 'tasks', '-o', 'xml'],
        'Error: unknown output format "xml": must be one of yaml, json, wide, name',
        '',
      ],
      [
        ['get', 'tasks', '--phase', 'Done'],
        'Error: unknown phase "Done": must be one of Pending, Running, Waiting, Succeeded, Failed',
        '',
      ],
      [
        ['get', 'tasks', 'x', '-A'],
        'Error: a resource cannot be retrieved by name across all namespaces',
        '',
      ],
      [
        ['delete', 'task'],
        'Error: task name is required (or use --all)',
        'Usage: kelos delete task [options] [name]',
      ],
      [['delete', 'ws', 'x', '--all'], 'Error: cannot specify workspace name with --all', ''],
      [['suspend', 'ts'], 'Error: taskspawner name is required', ''],
      [['create', 'workspace', 'w'], "Error: required option '--repo <url>' not specified", ''],
      [['create', 'workspace', '--repo', 'https://x/y.git'], 'Error: workspace name is required', ''],
      [['run', '--dry-run'], 'Error: either --prompt or --prompt-file is required', ''],
      [['run', '-p', 'x', '--prompt-file', 'f'], 'Error: cannot specify both --prompt and --prompt-file', ''],
      [
        ['run', '-p', 'x', '--type', 'robot'],
        "Error: option '-t, --type <type>' argument 'robot' is invalid.",
        '',
      ],
      [['run', '-p', 'x', '--timeout', '0s', '--dry-run'], 'Error: --timeout must be at least 1s', ''],
      [
        ['run', '-p', 'x', '--ttl', 'soon', '--dry-run'],
        'Error: invalid --ttl "soon": must be a duration such as 90s, 30m or 1h30m',
        '',
      ],
      [['run', '-p', 'x', '--wait-timeout', '1m'], 'Error: --wait-timeout requires --watch', ''],
      [
        ['completion', 'powershell'],
        "Error: command-argument value 'powershell' is invalid for argument 'shell'.",
        '',
      ],
    ];
    for (const [args, error, hint] of cases) {
      const r = await sandbox.run(args);
      expect(r.code, args.join(' ')).toBe(2);
      const lines = r.stderr.trimEnd().split('\n');
      const errorLine = lines.findIndex((l) => l.startsWith('Error'));
      expect(lines[errorLine], args.join(' ')).toContain(error);
      if (hint) expect(lines[errorLine + 1], args.join(' ')).toBe(hint);
      expect(r.stderr, 'no stack trace without -v').not.toMatch(/^\s+at /m);
    }
  });

  it('shows the stack trace only with -v', async () => {
    const quiet = await sandbox.run(['get', 'tasks', '--kubeconfig', '/nonexistent']);
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toBe('Error: kubeconfig not found: /nonexistent\n');
    const verbose = await sandbox.run(['get', 'tasks', '--kubeconfig', '/nonexistent', '-v']);
    expect(verbose.stderr).toMatch(/^Error: kubeconfig not found: \/nonexistent\n/m);
    expect(verbose.stderr).toMatch(/^\s+at /m);
  });

  it('names the missing kubeconfig and an unknown context', async () => {
    const none = await sandbox.run(['get', 'tasks']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('Error: no kubeconfig found (looked at $KUBECONFIG and ~/.kube/config)');
    const kubeconfig = sandbox.write(
      'kc.yaml',
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: one, context: {cluster: c, user: u}}]\ncurrent-context: one\n',
    );
    const unknown = await sandbox.run(['get', 'tasks', '--kubeconfig', kubeconfig, '--context', 'two']);
    expect(unknown.stderr).toContain('Error: context "two" does not exist in the kubeconfig');
    expect(unknown.stderr).toContain('Known contexts: one.');
    const unreachable = await sandbox.run(['get', 'tasks', '--kubeconfig', kubeconfig]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(
      /^Error: cannot reach the Kubernetes API server at https:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/,
    );
  });

  it('reports a malformed config file as `loading config: …`', async () => {
    const config = sandbox.write('bad/config.yaml', 'namespace: [unclosed\n');
    const r = await sandbox.run(['get', 'tasks', '--config', config]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^Error: loading config: ${config}: `));
    const env = sandbox.write('bad/env.yaml', 'env:\n  - name: 1BAD\n    value: x\n');
    const r2 = await sandbox.run(['run', '-p', 'x', '--dry-run', '--config', env]);
    expect(r2.stderr).toContain('invalid env var name "1BAD"');
  });

  it('--help loads neither the Kubernetes client, inquirer, ora, yaml nor the @kelos/shared index', () => {
    // A loader hook reports every module resolved; `--help` must stay about as fast as `node` itself.
    const hook = sandbox.write(
      'hook.mjs',
      `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`export async function resolve(s, c, next) {
  const r = await next(s, c); process.stderr.write('[resolved] ' + r.url + '\\\\n'); return r; }\`));`,
    );
    for (const args of [['--help'], ['version'], ['run', '--help']]) {
      const r = spawnSync(process.execPath, ['--import', hook, MAIN, ...args], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      const resolved = r.stderr.split('\n').filter((l) => l.startsWith('[resolved] '));
      expect(resolved.some((l) => l.includes('commander'))).toBe(true);
      // @kelos/shared/constants is allowed: it is plain data; the index pulls in schemas and CEL.
      for (const heavy of [
        'client-node',
        'inquirer',
        '/ora',
        '/yaml/',
        'shared/dist/index.js',
        'typebox',
        'bufbuild',
        'chalk',
      ]) {
        expect(
          resolved.filter((l) => l.includes(heavy)),
          `${args.join(' ')} loads ${heavy}`,
        ).toEqual([]);
      }
    }
  });
});

describe('colour', () => {
  it('colours errors only when allowed: FORCE_COLOR yes, --no-color and NO_COLOR no', async () => {
    const forced = await sandbox.run(['get'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stderr).toContain('\u001b[31mError: must specify a resource type');
    for (const [args, env] of [
      [['get', '--no-color'], { FORCE_COLOR: '1' }],
      [['get'], { FORCE_COLOR: '1', NO_COLOR: '1' }],
      [['get'], {}],
    ] as const) {
      const r = await sandbox.run(args, { env });
      expect(r.stderr).toContain('Error: must specify a resource type');
      expect(r.stderr).not.toContain('\u001b[');
    }
  });
});

describe('completion', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await Cluster.start();
    for (const name of ['alpha', 'beta']) cluster.createTask(name);
  });

  afterAll(async () => {
    await cluster.stop();
  });

  it('prints a script for bash, zsh and fish; bash accepts its syntax', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const r = await sandbox.run(['completion', shell]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('__complete');
    }
    const bash = await sandbox.run(['completion', 'bash']);
    const check = spawnSync('bash', ['-n'], { input: bash.stdout, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('completes commands, subcommands, flags, enum values and names from the tree', async () => {
    const complete = async (...words: string[]) => (await cluster.run(['__complete', ...words])).stdout;
    expect(await complete('ge')).toBe('get\tDisplay one or many resources\n:4\n');
    expect(await complete('get', '')).toMatch(
      /^task\t.*\ntaskspawner\t.*\nworkspace\t.*\nagentconfig\t.*\n:4\n$/,
    );
    expect(await complete('run', '--ty')).toBe('--type\tagent type (config: type)\n:4\n');
    expect(await complete('run', '--credential-type', '')).toBe('api-key\noauth\nnone\n:4\n');
    expect(await complete('get', 'tasks', '-o', '')).toBe('yaml\njson\nwide\nname\n:4\n');
    expect(await complete('get', 'tasks', '')).toBe('alpha\nbeta\n:4\n');
    expect(await complete('delete', 'task', 'b')).toBe('beta\n:4\n');
    expect(await complete('get', 'tasks', 'alpha', '')).toBe(':4\n');
    expect(await complete('-n', 'empty', 'get', 'tasks', '')).toBe(':4\n');
    expect(await complete('create', 'workspace', '')).toBe(':4\n');
    expect(await complete('run', '--prompt-file', '')).toBe(':0\n');
    expect(await complete('get', '-', '--kubeconfig', '/nonexistent', 'tasks', '')).toBe(':4\n');
  });

  it('drives the bash completion function end to end', async () => {
    const bin = cluster.path('bin');
    const wrapper = cluster.write('bin/kelos', `#!/bin/sh\nexec "${process.execPath}" "${MAIN}" "$@"\n`);
    chmodSync(wrapper, 0o755);
    const script = (await cluster.run(['completion', 'bash'])).stdout;
    const r = await spawnAsync(
      'bash',
      [
        '-c',
        `${script}\nCOMP_WORDS=(kelos get tasks al); COMP_CWORD=3; _kelos_complete; printf '%s\\n' "\${COMPREPLY[@]}"
COMP_WORDS=(kelos sus); COMP_CWORD=1; _kelos_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      { env: cluster.env({ PATH: `${bin}:${process.env.PATH}` }) },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('alpha\nsuspend\n');
  });
});
