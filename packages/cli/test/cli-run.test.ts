import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Cluster, MAIN } from './cli-harness.js';

let cluster: Cluster;

beforeAll(async () => {
  cluster = await Cluster.start();
});

afterAll(async () => {
  await cluster.stop();
});

const SECRET_VALUE = 'sk-ant-very-secret-value';

function secretData(name: string): Record<string, string> {
  const secret = cluster.api.client.get('secrets', name, 'default') as { data?: Record<string, string> };
  return Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
  );
}

describe('run --dry-run', () => {
  it('prints the Task YAML with every flag applied, and creates nothing', async () => {
    const config = cluster.write(
      'dry/config.yaml',
      'type: codex\nmodel: gpt-5\neffort: low\napiKey: none\nagentConfig: from-config\nenv:\n  - name: A\n    value: config\n  - name: B\n    valueFrom:\n      secretKeyRef: {name: s, key: k}\n',
    );
    const prompt = cluster.write('dry/prompt.md', 'Fix the flaky test.\n\n');
    const r = await cluster.run([
      'run',
      '--config',
      config,
      '-n',
      'default',
      '--prompt-file',
      prompt,
      '--name',
      'dry',
      '--effort',
      'high',
      '--image',
      'example.com/agent:1',
      '--workspace',
      'ws',
      '--depends-on',
      'plan',
      '--branch',
      'fix/flaky',
      '--ttl',
      '1h',
      '--timeout',
      '30m',
      '--env',
      'A=flag',
      '--env',
      'C=x=y',
      '--dry-run',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('created');
    expect(parse(r.stdout)).toEqual({
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'Task',
      metadata: { name: 'dry', namespace: 'default' },
      spec: {
        type: 'codex',
        prompt: 'Fix the flaky test.',
        credentials: { type: 'api-key', secretRef: { name: 'kelos-credentials' } },
        model: 'gpt-5',
        effort: 'high',
        image: 'example.com/agent:1',
        dependsOn: ['plan'],
        branch: 'fix/flaky',
        workspaceRef: { name: 'ws' },
        agentConfigRefs: [{ name: 'from-config' }],
        ttlSecondsAfterFinished: 3600,
        podOverrides: {
          activeDeadlineSeconds: 1800,
          env: [
            { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
            { name: 'A', value: 'flag' },
            { name: 'C', value: 'x=y' },
          ],
        },
      },
    });
    expect(cluster.api.client.list('tasks.kelos.dev').items).toEqual([]);
  });

  it('reads the prompt from stdin, names the task task-xxxxx and references the inline workspace', async () => {
    const config = cluster.write(
      'dry/inline.yaml',
      'oauthToken: t\nworkspace:\n  repo: https://github.com/acme/app.git\n',
    );
    const r = await cluster.run(
      ['run', '--config', config, '-n', 'default', '--prompt-file', '-', '--dry-run'],
      {
        input: 'Write docs\n',
      },
    );
    const task = parse(r.stdout);
    expect(task.metadata.name).toMatch(/^task-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(task.spec).toMatchObject({
      prompt: 'Write docs',
      credentials: { type: 'oauth', secretRef: { name: 'kelos-credentials' } },
      workspaceRef: { name: 'kelos-workspace' },
    });
  });

  it('rejects invalid input with the API server field errors, before any request', async () => {
    const r = await cluster.run([
      'run',
      '-p',
      'x',
      '--name',
      'Bad_Name',
      '--credential-type',
      'oauth',
      '--secret',
      's',
      '-n',
      'default',
      '--dry-run',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: Task.kelos.dev "Bad_Name" is invalid: .*metadata.name/);
    const none = await cluster.run(['run', '-p', 'x', '-n', 'default', '--dry-run']);
    expect(none.stderr).toContain(
      'Error: no credentials configured (set oauthToken/apiKey in config file, or use --secret flag)',
    );
    const conflict = cluster.write('dry/conflict.yaml', 'apiKey: k\n');
    const c = await cluster.run([
      'run',
      '-p',
      'x',
      '--config',
      conflict,
      '--credential-type',
      'oauth',
      '-n',
      'default',
      '--dry-run',
    ]);
    expect(c.stderr).toContain('Error: --credential-type oauth conflicts with apiKey in the config file');
  });
});

// Concurrent: they use different Secrets, and a watch mostly waits.
describe.concurrent('credential Secret from the config', () => {
  it('creates it, leaves it alone when equal, asks before replacing it, and never prints the value', async () => {
    const keyFile = cluster.write('creds/key', `${SECRET_VALUE}\n`);
    const config = cluster.write('creds/config.yaml', 'apiKey: "@~/creds/key"\n');
    const outputs: string[] = [];
    const run = async (name: string, input?: string, ...extra: string[]) => {
      const r = await cluster.run(
        ['run', '-p', 'x', '--config', config, '--name', name, ...extra],
        input === undefined ? {} : { input },
      );
      outputs.push(r.stdout, r.stderr);
      return r;
    };
    expect((await run('c1')).stdout).toBe('task/c1 created\n');
    expect(secretData('kelos-credentials')).toEqual({ ANTHROPIC_API_KEY: SECRET_VALUE });
    const version = cluster.api.client.get('secrets', 'kelos-credentials', 'default').metadata
      .resourceVersion;

    // Equal content: no prompt, no write.
    const same = await run('c2');
    expect(same.stderr).toBe('');
    expect(cluster.api.client.get('secrets', 'kelos-credentials', 'default').metadata.resourceVersion).toBe(
      version,
    );

    // A different agent type needs another key: the user is asked; declining aborts.
    const declined = await run('c3', 'n\n', '--type', 'gemini');
    expect(declined.code).toBe(1);
    expect(declined.stderr).toContain('Resource secret/kelos-credentials already exists. Override? [y/N]: ');
    expect(declined.stderr).toContain('Error: aborted');
    expect(secretData('kelos-credentials')).toEqual({ ANTHROPIC_API_KEY: SECRET_VALUE });

    const accepted = await run('c4', 'y\n', '--type', 'gemini');
    expect(accepted.stdout).toBe('task/c4 created\n');
    expect(secretData('kelos-credentials')).toEqual({ GEMINI_API_KEY: SECRET_VALUE });
    const forced = await run('c5', undefined, '-y');
    expect(forced.code).toBe(0);
    expect(secretData('kelos-credentials')).toEqual({ ANTHROPIC_API_KEY: SECRET_VALUE });

    for (const output of outputs) expect(output).not.toContain(SECRET_VALUE);
    expect(keyFile).toBeTruthy();
  });

  it('manages Workspace kelos-workspace and its token Secret for an inline repository', async () => {
    const config = cluster.write(
      'inline/config.yaml',
      'credentialType: none\nworkspace:\n  repo: https://github.com/acme/app.git\n  ref: main\n  token: ghp_inline\n',
    );
    const r = await cluster.run(['run', '-p', 'x', '--config', config, '--name', 'i1']);
    expect(r).toMatchObject({ code: 0, stdout: 'task/i1 created\n' });
    expect(cluster.api.client.get('workspaces.kelos.dev', 'kelos-workspace', 'default').spec).toEqual({
      repo: 'https://github.com/acme/app.git',
      ref: 'main',
      secretRef: { name: 'kelos-workspace-credentials' },
    });
    expect(secretData('kelos-workspace-credentials')).toEqual({ GITHUB_TOKEN: 'ghp_inline' });
    const other = await cluster.run([
      'run',
      '-p',
      'x',
      '--config',
      config,
      '--name',
      'i2',
      '--workspace-repo',
      'https://github.com/acme/other.git',
      '-y',
    ]);
    expect(other.code).toBe(0);
    expect(cluster.api.client.get('workspaces.kelos.dev', 'kelos-workspace', 'default').spec).toMatchObject({
      repo: 'https://github.com/acme/other.git',
    });
    expect(other.stdout + other.stderr).not.toContain('ghp_inline');
  });
});

describe.concurrent('run --watch', () => {
  /** Starts `kelos run -w`, and once the Task exists moves its status through `phases`. */
  async function watch(name: string, phases: string[], extra: string[] = []) {
    const child = spawn(
      process.execPath,
      [MAIN, 'run', '-p', 'x', '--credential-type', 'none', '--name', name, '-w', ...extra],
      { env: cluster.env() },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    while (!stdout.includes(`task/${name} created`)) await new Promise((r) => setTimeout(r, 50));
    for (const phase of phases) {
      cluster.api.client.patch('tasks.kelos.dev', name, {
        type: 'merge',
        namespace: 'default',
        subresource: 'status',
        patch: { status: { phase, ...(phase === 'Failed' ? { message: 'agent exited with code 3' } : {}) } },
      });
      await new Promise((r) => setTimeout(r, 2100));
    }
    return { code: await code, stdout, stderr };
  }

  it('exits 0 when the task succeeds, printing each phase', async () => {
    const r = await watch('w-ok', ['Running', 'Succeeded']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('task/w-ok created\ntask/w-ok Running\ntask/w-ok Succeeded\n');
  });

  it('exits 1 when the task fails, with the reason and where to look', async () => {
    const r = await watch('w-fail', ['Failed']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('task/w-fail created\ntask/w-fail Failed\n');
    expect(r.stderr).toBe(
      "Error: task w-fail failed: agent exited with code 3\nRun 'kelos logs w-fail' to view agent output, or 'kelos get tasks w-fail -d' for details.\n",
    );
  });

  it('gives up after --wait-timeout with exit 1, leaving the task running', async () => {
    const r = await watch('w-slow', [], ['--wait-timeout', '1s']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error: timed out after 1s waiting for task w-slow (phase: none yet)');
    expect(cluster.api.client.get('tasks.kelos.dev', 'w-slow', 'default').metadata.name).toBe('w-slow');
  });
});
