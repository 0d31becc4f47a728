import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOutputs, resultsFromOutputs } from '@kelos/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENTS_DIR, CAPTURE_SHIM, FIXTURES_DIR, put, tempDir } from './fixtures/agents/image.js';
import { createClonedRepo, git } from './fixtures/agents/repo.js';
import { hasBwrap, runSandbox } from './fixtures/agents/sandbox.js';

/**
 * The bundled entrypoints (agents/<type>/kelos_entrypoint.sh), executed in bubblewrap at their
 * image paths, with a fake agent CLI that records how it was started and prints a recorded stream.
 */

const HOME = '/home/agent';
/** agents/<name>, which every bundled image has at /kelos/<name> for its entrypoint to source. */
const SHARED_SCRIPTS = ['setup-command.sh', 'install-skills.sh'];
const CLI: Record<string, string> = {
  'claude-code': 'claude',
  codex: 'codex',
  gemini: 'gemini',
  opencode: 'opencode',
  cursor: 'agent',
};
const STREAM: Record<string, string> = {
  'claude-code': 'claude-code.jsonl',
  codex: 'codex.jsonl',
  gemini: 'gemini.jsonl',
  opencode: 'opencode.jsonl',
  cursor: 'cursor.jsonl',
};

interface Record_ {
  cli: string;
  argv: string[];
  cwd: string;
  env: Record<string, string>;
}

let root: string;
let home: string;
let record: string;
let plugins: string;
let repo: string;
beforeEach(() => {
  root = tempDir('entrypoint');
  home = join(root, 'home');
  record = join(root, 'record');
  plugins = join(root, 'plugins');
  mkdirSync(home);
  mkdirSync(record);
  repo = createClonedRepo(root, 'kelos/task').repo;
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function image(type: string): string {
  const dir = join(root, 'image');
  put(dir, '/kelos_entrypoint.sh', { copyOf: join(AGENTS_DIR, type, 'kelos_entrypoint.sh') });
  for (const script of SHARED_SCRIPTS) {
    put(dir, `/kelos/${script}`, { copyOf: join(AGENTS_DIR, script) }, 0o644);
  }
  put(dir, '/kelos/kelos-capture', CAPTURE_SHIM);
  put(dir, `/usr/local/bin/${CLI[type]}`, { copyOf: join(FIXTURES_DIR, 'fake-cli.mjs') });
  // The image's /kelos is bound read-only as a whole, so the plugin mount point must exist in it
  // (a container runtime would create it in the writable layer).
  mkdirSync(join(dir, 'kelos', 'plugin'), { recursive: true });
  return dir;
}

/** A plugin tree as plugin-setup leaves /kelos/plugin. */
function plugin(name: string, skills: string[], agents: string[] = []): void {
  for (const skill of skills) put(plugins, `/${name}/skills/${skill}/SKILL.md`, `# ${skill}\n`, 0o644);
  for (const agent of agents) put(plugins, `/${name}/agents/${agent}.md`, `# ${agent}\n`, 0o644);
}

async function run(type: string, env: Record<string, string> = {}, args = ['Fix the parser']) {
  const mounts = [
    { source: repo, target: '/workspace/repo' },
    { source: home, target: HOME },
    { source: record, target: '/record' },
  ];
  if (existsSync(plugins)) mounts.push({ source: plugins, target: '/kelos/plugin' });
  const result = await runSandbox({
    image: image(type),
    mounts,
    argv: ['/kelos_entrypoint.sh', ...args],
    cwd: '/workspace/repo',
    env: {
      PATH: `${HOME}/.local/bin:/usr/local/bin:/usr/bin:/bin`,
      HOME,
      KELOS_AGENT_TYPE: type,
      FAKE_RECORD: '/record/cli.json',
      FAKE_STREAM: join(FIXTURES_DIR, STREAM[type] ?? ''),
      ...env,
    },
  });
  const recorded = join(record, 'cli.json');
  const cli = existsSync(recorded) ? (JSON.parse(readFileSync(recorded, 'utf8')) as Record_) : undefined;
  const stdout = result.stdout.toString();
  return { ...result, cli, stdout, results: resultsFromOutputs(parseOutputs(stdout)) ?? {} };
}

const homeFile = (path: string) => readFileSync(join(home, path), 'utf8');
const MCP = JSON.stringify({
  mcpServers: {
    github: {
      type: 'http',
      url: 'https://api.githubcopilot.com/mcp/',
      headers: { Authorization: 'Bearer s3cr"t' },
    },
    fs: { type: 'stdio', command: 'npx', args: ['-y', '@mcp/fs', '/workspace'], env: { DEBUG: '1' } },
  },
});

describe.skipIf(!hasBwrap)('bundled entrypoints', () => {
  it('claude-code: command line, CLAUDE.md, MCP config, plugins, marker block', async () => {
    plugin('review', ['lint']);
    plugin('deploy', ['ship']);
    writeFileSync(
      join(home, '.claude.json'),
      JSON.stringify({ theme: 'dark', mcpServers: { old: { url: 'x' } } }),
    );
    const r = await run('claude-code', {
      KELOS_MODEL: 'opus',
      KELOS_EFFORT: 'high',
      KELOS_AGENTS_MD: '# Rules\nRun make test.',
      KELOS_PLUGIN_DIR: '/kelos/plugin',
      KELOS_MCP_SERVERS: MCP,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.cli?.argv).toEqual([
      '--dangerously-skip-permissions',
      '--output-format',
      'stream-json',
      '--verbose',
      '-p',
      'Fix the parser',
      '--model',
      'opus',
      '--effort',
      'high',
      '--plugin-dir',
      '/kelos/plugin/deploy',
      '--plugin-dir',
      '/kelos/plugin/review',
    ]);
    expect(r.cli?.cwd).toBe('/workspace/repo');
    expect(homeFile('.claude/CLAUDE.md')).toBe('# Rules\nRun make test.');
    expect(JSON.parse(homeFile('.claude.json'))).toEqual({
      theme: 'dark',
      mcpServers: { old: { url: 'x' }, ...JSON.parse(MCP).mcpServers },
    });
    // The stream passes through untouched and the block ends the log.
    expect(r.stdout.startsWith(readFileSync(join(FIXTURES_DIR, 'claude-code.jsonl'), 'utf8'))).toBe(true);
    expect(r.stdout.endsWith('---KELOS_OUTPUTS_END---\n')).toBe(true);
    expect(r.results).toMatchObject({
      branch: 'kelos/task',
      commit: git(repo, 'rev-parse', 'HEAD'),
      'base-branch': 'main',
      'cost-usd': '0.10843950',
      'input-tokens': '1536',
      'output-tokens': '2048',
    });
  });

  it('claude-code: honours CLAUDE_CONFIG_DIR; session setup-only mode stops before the agent', async () => {
    const r = await run(
      'claude-code',
      {
        CLAUDE_CONFIG_DIR: `${HOME}/cfg`,
        KELOS_AGENTS_MD: 'x',
        KELOS_MCP_SERVERS: MCP,
        KELOS_SESSION_SETUP_ONLY: '1',
      },
      [],
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.cli).toBeUndefined();
    expect(homeFile('cfg/CLAUDE.md')).toBe('x');
    expect(Object.keys(JSON.parse(homeFile('cfg/.claude.json')).mcpServers)).toEqual(['github', 'fs']);
  });

  it('claude-code: an incomplete result fails the run; the agent’s own failure wins', async () => {
    const incomplete = { FAKE_STREAM: join(FIXTURES_DIR, 'claude-code-incomplete.jsonl') };
    const r = await run('claude-code', incomplete);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('kelos-capture: Claude Code run incomplete');
    expect(r.results['input-tokens']).toBe('210');
    expect((await run('claude-code', { ...incomplete, FAKE_EXIT: '3' })).code).toBe(3);
  });

  it('fails without a prompt', async () => {
    const r = await run('claude-code', {}, []);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Prompt argument is required');
    expect(r.cli).toBeUndefined();
  });

  it('codex: command line, auth.json, AGENTS.md, skills, MCP tables; exit code is the agent’s', async () => {
    plugin('review', ['lint', 'style']);
    const r = await run('codex', {
      KELOS_MODEL: 'gpt-5.6-luna',
      KELOS_EFFORT: 'high',
      CODEX_AUTH_JSON: '{\n  "tokens": {"access_token": "a"}\n}\n',
      KELOS_AGENTS_MD: 'Be brief.',
      KELOS_PLUGIN_DIR: '/kelos/plugin',
      KELOS_MCP_SERVERS: MCP,
      FAKE_EXIT: '5',
    });
    expect(r.code, r.stderr).toBe(5);
    expect(r.cli?.argv).toEqual([
      'exec',
      '--dangerously-bypass-approvals-and-sandbox',
      '--json',
      'Fix the parser',
      '--model',
      'gpt-5.6-luna',
      '--config',
      'model_reasoning_effort="high"',
    ]);
    expect(homeFile('.codex/auth.json')).toBe('{  "tokens": {"access_token": "a"}}');
    expect(homeFile('.codex/AGENTS.md')).toBe('Be brief.');
    expect(homeFile('.codex/skills/review:lint/SKILL.md')).toBe('# lint\n');
    expect(homeFile('.codex/skills/review:style/SKILL.md')).toBe('# style\n');
    expect(homeFile('.codex/config.toml')).toBe(
      [
        'cli_auth_credentials_store = "file"',
        '',
        '[mcp_servers."github"]',
        'url = "https://api.githubcopilot.com/mcp/"',
        'http_headers = { "Authorization" = "Bearer s3cr\\"t" }',
        '',
        '[mcp_servers."fs"]',
        'command = "npx"',
        'args = ["-y", "@mcp/fs", "/workspace"]',
        'env = { "DEBUG" = "1" }',
        '',
      ].join('\n'),
    );
    expect(r.results).toMatchObject({
      branch: 'kelos/task',
      'input-tokens': '55765',
      'output-tokens': '532',
    });
  });

  it('codex: two skills mapping to one directory are an error, before the agent starts', async () => {
    plugin('a:b', ['c']);
    plugin('a', ['b:c']);
    const r = await run('codex', { KELOS_PLUGIN_DIR: '/kelos/plugin' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('two skills map to');
    expect(r.cli).toBeUndefined();
  });

  it('gemini: effort becomes a model alias; plugins become extensions; MCP in settings.json', async () => {
    plugin('review', ['lint'], ['critic']);
    const r = await run('gemini', {
      KELOS_MODEL: 'gemini-2.5-pro',
      KELOS_EFFORT: 'high',
      KELOS_AGENTS_MD: 'Be brief.',
      KELOS_PLUGIN_DIR: '/kelos/plugin',
      KELOS_MCP_SERVERS: MCP,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.cli?.argv).toEqual([
      '--yolo',
      '--output-format',
      'stream-json',
      '-p',
      'Fix the parser',
      '--model',
      'kelos-effort-gemini-2-5-pro',
    ]);
    const settings = JSON.parse(homeFile('.gemini/settings.json'));
    expect(settings.modelConfigs.customAliases['kelos-effort-gemini-2-5-pro']).toEqual({
      modelConfig: {
        model: 'gemini-2.5-pro',
        generateContentConfig: { thinkingConfig: { thinkingBudget: 8192 } },
      },
    });
    expect(Object.keys(settings.mcpServers)).toEqual(['github', 'fs']);
    expect(homeFile('.gemini/GEMINI.md')).toBe('Be brief.\n');
    expect(JSON.parse(homeFile('.gemini/extensions/review/gemini-extension.json'))).toEqual({
      name: 'review',
    });
    expect(homeFile('.gemini/extensions/review/skills/lint/SKILL.md')).toBe('# lint\n');
    expect(homeFile('.gemini/extensions/review/agents/critic.md')).toBe('# critic\n');
    expect(r.results).toMatchObject({ 'input-tokens': '18230', 'output-tokens': '1646' });
  });

  it('gemini: without a model, effort is guidance in GEMINI.md; gemini-3 gets a thinking level', async () => {
    const r = await run('gemini', { KELOS_EFFORT: 'low' });
    expect(r.cli?.argv).not.toContain('--model');
    expect(homeFile('.gemini/GEMINI.md')).toBe('\n# Kelos Effort\nUse low reasoning effort for this task.\n');
    const g3 = await run('gemini', { KELOS_MODEL: 'gemini-3-pro-preview', KELOS_EFFORT: 'medium' });
    expect(g3.cli?.argv.slice(-2)).toEqual(['--model', 'kelos-effort-gemini-3-pro-preview']);
    const alias = JSON.parse(homeFile('.gemini/settings.json')).modelConfigs.customAliases;
    expect(alias['kelos-effort-gemini-3-pro-preview'].modelConfig.generateContentConfig).toEqual({
      thinkingConfig: { thinkingLevel: 'HIGH' },
    });
  });

  it('opencode: effort goes to opencode.json instead of --model; the key follows the provider', async () => {
    plugin('review', ['lint'], ['critic']);
    const r = await run('opencode', {
      KELOS_MODEL: 'openai/gpt-5',
      KELOS_EFFORT: 'high',
      OPENCODE_API_KEY: 'sk-test',
      KELOS_AGENTS_MD: 'Be brief.',
      KELOS_PLUGIN_DIR: '/kelos/plugin',
      KELOS_MCP_SERVERS: MCP,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.cli?.argv).toEqual(['run', '--format', 'json', '--auto', 'Fix the parser']);
    expect(r.cli?.env.OPENAI_API_KEY).toBe('sk-test');
    expect(r.cli?.env.ANTHROPIC_API_KEY).toBeUndefined();
    expect(JSON.parse(homeFile('.config/opencode/opencode.json'))).toEqual({
      $schema: 'https://opencode.ai/config.json',
      model: 'openai/gpt-5',
      agent: { build: { model: 'openai/gpt-5', variant: 'high', options: { reasoningEffort: 'high' } } },
    });
    expect(homeFile('.config/opencode/AGENTS.md')).toBe('Be brief.');
    expect(homeFile('.config/opencode/skills/review:lint/SKILL.md')).toBe('# lint\n');
    expect(homeFile('.config/opencode/agents/critic.md')).toBe('# critic\n');
    expect(r.stderr).toContain('KELOS_MCP_SERVERS is ignored');
    expect(r.results).toMatchObject({ 'input-tokens': '22322', 'output-tokens': '532' });
  });

  it.each([
    ['zai-coding-plan/glm-4.6', 'ZHIPU_API_KEY'],
    ['', 'ANTHROPIC_API_KEY'],
  ])('opencode: model %j gets the key as %s, with --model', async (model, key) => {
    const r = await run('opencode', { OPENCODE_API_KEY: 'k', ...(model && { KELOS_MODEL: model }) });
    expect(r.cli?.env[key]).toBe('k');
    expect(r.cli?.argv.slice(4)).toEqual(model ? ['Fix the parser', '--model', model] : ['Fix the parser']);
  });

  it('cursor: model first, effort guidance, skills and rules in the working directory, mcp.json', async () => {
    plugin('review', ['lint'], ['critic']);
    const r = await run('cursor', {
      KELOS_MODEL: 'sonnet-4.5',
      KELOS_EFFORT: 'low',
      KELOS_AGENTS_MD: 'Be brief.',
      KELOS_PLUGIN_DIR: '/kelos/plugin',
      KELOS_MCP_SERVERS: MCP,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.cli?.argv).toEqual([
      '--model',
      'sonnet-4.5',
      '-p',
      '--force',
      '--trust',
      '--sandbox',
      'disabled',
      '--output-format',
      'stream-json',
      'Fix the parser',
    ]);
    expect(homeFile('.cursor/AGENTS.md')).toBe(
      'Be brief.\n\n# Kelos Effort\nUse low reasoning effort for this task.\n',
    );
    expect(readFileSync(join(repo, '.cursor/skills/review:lint/SKILL.md'), 'utf8')).toBe('# lint\n');
    expect(readFileSync(join(repo, '.cursor/rules/review-critic.mdc'), 'utf8')).toBe('# critic\n');
    expect(Object.keys(JSON.parse(homeFile('.cursor/mcp.json')).mcpServers)).toEqual(['github', 'fs']);
    expect(r.results).toMatchObject({ 'input-tokens': '15230', 'output-tokens': '612' });
  });
});

describe.skipIf(!hasBwrap)('setup command', () => {
  it('runs before the agent, without a shell, with binaries in ~/.local/bin on PATH', async () => {
    const script =
      'mkdir -p ~/.local/bin && printf "#!/bin/sh\\necho tool-ok\\n" > ~/.local/bin/tool && chmod +x ~/.local/bin/tool && touch setup-ran';
    const r = await run('codex', { KELOS_SETUP_COMMAND: JSON.stringify(['bash', '-c', script]) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('\n---KELOS_SETUP_COMMAND_START---\n\n---KELOS_SETUP_COMMAND_DONE---\n');
    expect(existsSync(join(repo, 'setup-ran'))).toBe(true);
    expect(r.cli).toBeDefined();
    // Arguments reach the command verbatim: no shell splits or expands them.
    const literal = await run('cursor', { KELOS_SETUP_COMMAND: '["touch", "a b", "$HOME"]' });
    expect(literal.code, literal.stderr).toBe(0);
    expect(existsSync(join(repo, 'a b')) && existsSync(join(repo, '$HOME'))).toBe(true);
  });

  it.each([
    ['a failing command', '["bash", "-c", "exit 4"]', 4],
    ['invalid JSON', '["bash", ', 2],
    ['not an array of strings', '["bash", 1]', 2],
    ['a missing program', '["/no/such/program"]', 127],
  ])('%s (%s): the FAILED marker with the exit code, no agent', async (_name, command, code) => {
    const r = await run('gemini', { KELOS_SETUP_COMMAND: command });
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(
      new RegExp(
        `^\\n---KELOS_SETUP_COMMAND_START---\\n[^]*\\n---KELOS_SETUP_COMMAND_FAILED--- exit=${code}\\n$`,
      ),
    );
    expect(r.cli).toBeUndefined();
    expect(r.stdout).toBe('');
  });

  it('fake agent: its rootfs runs the setup command as is, from its own /kelos', async () => {
    const r = await runSandbox({
      image: join(AGENTS_DIR, 'fake', 'rootfs'),
      mounts: [{ source: repo, target: '/workspace/repo' }],
      argv: ['/kelos_entrypoint.sh', 'Fix the parser'],
      cwd: '/workspace/repo',
      env: { PATH: '/usr/local/bin:/usr/bin:/bin', KELOS_SETUP_COMMAND: '["bash", "-c", "exit 4"]' },
    });
    expect(r.code).toBe(4);
    expect(r.stderr.toString()).toBe(
      '\n---KELOS_SETUP_COMMAND_START---\n\n---KELOS_SETUP_COMMAND_FAILED--- exit=4\n',
    );
    expect(r.stdout.toString()).toBe('');
  });
});

describe.skipIf(!hasBwrap)('gh wrapper', () => {
  it('reads the token file on every call, as GH_TOKEN or, for GHE, GH_ENTERPRISE_TOKEN', async () => {
    const dir = join(root, 'gh-image');
    put(dir, '/usr/local/bin/gh', { copyOf: join(AGENTS_DIR, 'gh-wrapper.sh') });
    put(
      dir,
      '/usr/bin/gh',
      '#!/bin/bash\necho "args=$* GH_TOKEN=$GH_TOKEN GH_ENTERPRISE_TOKEN=$GH_ENTERPRISE_TOKEN"\n',
    );
    writeFileSync(join(record, 'GITHUB_TOKEN'), 'ghs_fresh');
    const gh = (env: Record<string, string>) =>
      runSandbox({
        image: dir,
        mounts: [{ source: record, target: '/kelos/github-token', readOnly: true }],
        argv: ['gh', 'pr', 'list'],
        cwd: '/',
        env: { PATH: '/usr/local/bin:/usr/bin:/bin', GH_TOKEN: 'stale', ...env },
      });
    const file = { KELOS_GITHUB_TOKEN_FILE: '/kelos/github-token/GITHUB_TOKEN' };
    expect((await gh(file)).stdout.toString()).toBe('args=pr list GH_TOKEN=ghs_fresh GH_ENTERPRISE_TOKEN=\n');
    expect((await gh({ ...file, GH_HOST: 'ghe.example.com' })).stdout.toString()).toBe(
      'args=pr list GH_TOKEN=stale GH_ENTERPRISE_TOKEN=ghs_fresh\n',
    );
    expect((await gh({})).stdout.toString()).toBe('args=pr list GH_TOKEN=stale GH_ENTERPRISE_TOKEN=\n');
  });
});

describe('entrypoint sources', () => {
  const sources = ['claude-code', 'codex', 'gemini', 'opencode', 'cursor', 'fake/rootfs'].map((dir) => ({
    dir,
    text: readFileSync(join(AGENTS_DIR, dir, 'kelos_entrypoint.sh'), 'utf8'),
  }));

  it('source the shared scripts from /kelos (a missing one is an error) and carry no copy of them', () => {
    for (const { dir, text } of sources) {
      expect(text, dir).toContain('\n. /kelos/setup-command.sh || exit 1\n');
      expect(text, dir).not.toContain('KELOS_SETUP_COMMAND');
      const skills = ['codex', 'opencode', 'cursor'].includes(dir);
      expect(text.includes('\n. /kelos/install-skills.sh || exit 1\n'), dir).toBe(skills);
      expect(text, dir).not.toMatch(/install_skills\(\)/);
    }
  });

  it('the fake rootfs holds agents/setup-command.sh byte for byte (the dev cluster mounts the rootfs alone)', () => {
    expect(readFileSync(join(AGENTS_DIR, 'fake/rootfs/kelos/setup-command.sh'), 'utf8')).toBe(
      readFileSync(join(AGENTS_DIR, 'setup-command.sh'), 'utf8'),
    );
  });

  it('follow the contract: bash, set -uo pipefail, a required prompt, capture piped without exec', () => {
    for (const { text } of sources) {
      expect(text.startsWith('#!/bin/bash\n')).toBe(true);
      expect(text).toContain('\nset -uo pipefail\n');
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash expansion, not a template
      expect(text).toContain('"${1:?Prompt argument is required}"');
      expect(text).toMatch(/\n[^\n#]*\| (KELOS_AGENT_TYPE=claude-code )?\/kelos\/kelos-capture\n/);
      expect(text).not.toMatch(/exec [^\n]*kelos-capture/);
      expect(text).toContain('PIPESTATUS');
    }
  });
});
