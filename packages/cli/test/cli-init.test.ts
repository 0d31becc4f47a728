import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MAIN, Sandbox } from './cli-harness.js';

let sandbox: Sandbox;

beforeAll(() => {
  sandbox = new Sandbox();
});

afterAll(() => {
  sandbox.remove();
});

const mode = (path: string) => statSync(path).mode & 0o777;

describe('kelos init without a terminal', () => {
  it('writes the commented template to ~/.kelos/config.yaml, mode 0600, and refuses to overwrite it', async () => {
    const path = sandbox.path('.kelos', 'config.yaml');
    const r = await sandbox.run(['init']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Config file created: ${path}\n\nNext steps:\n`));
    expect(r.stdout).toContain('claude setup-token');
    expect(r.stdout).toContain('kelos install');
    expect(r.stdout).toContain('kelos run -p "Create a hello world program in Python"');
    const content = readFileSync(path, 'utf8');
    // The one active key is an empty oauthToken, as in the reference's template.
    expect(parse(content)).toEqual({ oauthToken: '' });
    for (const url of [
      'https://console.anthropic.com/settings/keys',
      'https://platform.openai.com/api-keys',
      'https://aistudio.google.com/apikey',
      'https://opencode.ai/docs/providers',
      'https://cursor.com/dashboard',
      '@~/.codex/auth.json',
    ]) {
      expect(content).toContain(url);
    }
    for (const key of [
      'apiKey',
      'type',
      'model',
      'effort',
      'namespace',
      'workspace',
      'githubApp',
      'agentConfig',
      'env',
      'secretKeyRef',
      'secret',
      'credentialType',
    ]) {
      expect(content).toContain(`${key}:`);
    }
    expect(mode(path)).toBe(0o600);
    expect(mode(sandbox.path('.kelos'))).toBe(0o700);

    const again = await sandbox.run(['init', '--api-key', 'k']);
    expect(again).toEqual({
      code: 1,
      stdout: '',
      stderr: `Error: config file already exists: ${path} (use --force to overwrite)\n`,
    });
    expect(readFileSync(path, 'utf8')).toBe(content);
  });

  it('writes the flags as config keys, with --force, and expands ~ in --config', async () => {
    const r = await sandbox.run([
      'init',
      '--config',
      '~/custom/kelos.yaml',
      '-t',
      'codex',
      '--oauth-token',
      '@~/.codex/auth.json',
      '--model',
      'gpt-5',
      '--effort',
      'high',
      '-n',
      'agents',
      '--workspace-repo',
      'https://github.com/acme/app.git',
      '--workspace-ref',
      'main',
      '--workspace-token',
      'ghp_x',
      '--agent-config',
      'helper',
      '--env',
      'LOG=debug',
    ]);
    const path = sandbox.path('custom', 'kelos.yaml');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Config file created: ${path}`);
    expect(r.stderr).toBe(`Warning: oauthToken refers to ~/.codex/auth.json, which does not exist yet\n`);
    expect(parse(readFileSync(path, 'utf8'))).toEqual({
      oauthToken: '@~/.codex/auth.json',
      type: 'codex',
      model: 'gpt-5',
      effort: 'high',
      namespace: 'agents',
      workspace: { repo: 'https://github.com/acme/app.git', ref: 'main', token: 'ghp_x' },
      agentConfig: 'helper',
      env: [{ name: 'LOG', value: 'debug' }],
    });
    expect(mode(path)).toBe(0o600);

    const overwritten = await sandbox.run([
      'init',
      '--config',
      '~/custom/kelos.yaml',
      '--force',
      '--secret',
      'mine',
      '--credential-type',
      'oauth',
    ]);
    expect(overwritten.code).toBe(0);
    expect(parse(readFileSync(path, 'utf8'))).toEqual({ secret: 'mine', credentialType: 'oauth' });
    expect(overwritten.stdout).toContain('Make sure Secret mine exists');
    expect(mode(path)).toBe(0o600);

    // The file works as the config of `kelos run`.
    const dry = await sandbox.run(['run', '--config', path, '-p', 'x', '--dry-run', '-n', 'default']);
    expect(parse(dry.stdout).spec.credentials).toEqual({ type: 'oauth', secretRef: { name: 'mine' } });
  });

  it('rejects contradictory flags as usage errors', async () => {
    const r = await sandbox.run(['init', '--config', '~/x.yaml', '--api-key', 'a', '--oauth-token', 'b']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Error: cannot specify both --oauth-token and --api-key');
  });
});

/**
 * Runs a command under a pseudo-terminal (util-linux `script`), answering each prompt once it shows:
 * keystrokes typed before a prompt listens could be lost.
 */
async function inTerminal(args: string[], dialogue: [prompt: string, keys: string][]) {
  const command = [process.execPath, MAIN, ...args].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env: sandbox.env({ TERM: 'xterm' }) });
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  let seen = 0;
  for (const [prompt, keys] of dialogue) {
    const deadline = Date.now() + 15_000;
    while (output.indexOf(prompt, seen) === -1) {
      if (Date.now() > deadline) throw new Error(`no prompt "${prompt}" in:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    seen = output.indexOf(prompt, seen) + prompt.length;
    child.stdin.write(keys);
  }
  // Without the terminal's escape sequences (cursor moves, colours).
  const escapes = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');
  return { code: await exited, output: output.replace(escapes, '') };
}

const DOWN = '\u001b[B';

describe('kelos init on a terminal', () => {
  const hasScript = spawnSync('script', ['--version']).status === 0;

  it.runIf(hasScript)('asks for the settings and writes them', async () => {
    const { code, output } = await inTerminal(
      ['init', '--config', '~/tty/config.yaml'],
      [
        ['Agent type', '\r'],
        ['Credentials', `${DOWN}\r`],
        ['API key (or @path', 'sk-typed-key\r'],
        ['Model (empty', 'opus\r'],
        ['Namespace (empty', 'agents\r'],
        ['Repository to work in', `${DOWN}\r`],
        ['Repository URL', 'https://github.com/acme/app.git\r'],
        ['Branch, tag or commit', '\r'],
        ['GitHub token (empty', '\r'],
      ],
    );
    expect(code).toBe(0);
    expect(output).toContain(`Config file created: ${sandbox.path('tty', 'config.yaml')}`);
    expect(output).not.toContain('sk-typed-key');
    const path = sandbox.path('tty', 'config.yaml');
    expect(parse(readFileSync(path, 'utf8'))).toEqual({
      apiKey: 'sk-typed-key',
      type: 'claude-code',
      model: 'opus',
      namespace: 'agents',
      workspace: { repo: 'https://github.com/acme/app.git' },
    });
    expect(mode(path)).toBe(0o600);
  });

  it.runIf(hasScript)('writes the template without asking when told --no-interactive', async () => {
    const { code } = await inTerminal(['init', '--config', '~/tty/plain.yaml', '--no-interactive'], []);
    expect(code).toBe(0);
    expect(parse(readFileSync(sandbox.path('tty', 'plain.yaml'), 'utf8'))).toEqual({ oauthToken: '' });
  });
});
