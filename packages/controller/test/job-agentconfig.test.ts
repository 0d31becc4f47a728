import type { AgentConfigSpec, MCPServer } from '@kelos/shared';
import { describe, expect, it } from 'vitest';
import {
  agentConfigRefs,
  buildMcpServersJson,
  buildPluginConfigMap,
  mergeAgentConfigs,
  pluginConfigMapName,
} from '../src/job/index.js';
import {
  agentOf,
  build,
  envOf,
  initOf,
  makeTask,
  makeWorkspace,
  names,
  scriptOf,
} from './fixtures/job/objects.js';

const plugin = {
  name: 'review',
  skills: [
    { name: 'checklist', content: '# Checklist' },
    { name: 'style', content: 'Style guide' },
  ],
  agents: [{ name: 'critic', content: 'Be critical.' }],
};

describe('AgentConfig: agentsMD', () => {
  it('becomes KELOS_AGENTS_MD and nothing else', () => {
    const job = build({ agentConfig: { agentsMD: '# Rules\nBe nice.' } });
    expect(envOf(agentOf(job), 'KELOS_AGENTS_MD')?.value).toBe('# Rules\nBe nice.');
    expect(job.spec.template.spec.volumes).toBeUndefined();
    expect(job.spec.template.spec.initContainers).toBeUndefined();
  });

  it('is omitted when empty', () => {
    expect(envOf(agentOf(build({ agentConfig: { agentsMD: '' } })), 'KELOS_AGENTS_MD')).toBeUndefined();
  });
});

describe('AgentConfig: plugins', () => {
  const job = build({
    agentConfig: { plugins: [plugin, { name: 'ops', agents: [{ name: 'sre', content: 'x' }] }] },
  });
  const pod = job.spec.template.spec;

  it('adds the plugin emptyDir and the ConfigMap volume projecting each key into the plugin tree', () => {
    expect(pod.volumes).toEqual([
      { name: 'kelos-plugin', emptyDir: {} },
      {
        name: 'kelos-plugin-src',
        configMap: {
          name: 'my-task-plugins',
          items: [
            { key: 'p0-s0', path: 'review/skills/checklist/SKILL.md' },
            { key: 'p0-s1', path: 'review/skills/style/SKILL.md' },
            { key: 'p0-a0', path: 'review/agents/critic.md' },
            { key: 'p1-a0', path: 'ops/agents/sre.md' },
          ],
        },
      },
    ]);
  });

  it('adds plugin-setup copying from the read-only staging mount', () => {
    const setup = initOf(job, 'plugin-setup');
    expect(names(pod.initContainers)).toEqual(['plugin-setup']);
    expect(setup.image).toBe('alpine/git:v2.47.2');
    expect(setup.securityContext).toEqual({ runAsUser: 61100 });
    expect(setup.volumeMounts).toEqual([
      { name: 'kelos-plugin', mountPath: '/kelos/plugin' },
      { name: 'kelos-plugin-src', mountPath: '/kelos-plugin-src', readOnly: true },
    ]);
    expect(scriptOf(setup)).toBe(
      "set -eu\nfind /kelos-plugin-src -mindepth 1 -maxdepth 1 ! -name '..*' -exec cp -RL {} /kelos/plugin/ ';'",
    );
  });

  it('keeps plugin content out of the pod spec', () => {
    expect(JSON.stringify(job)).not.toContain('Be critical.');
  });

  it('mounts the plugin dir on the agent and sets KELOS_PLUGIN_DIR', () => {
    const agent = agentOf(job);
    expect(agent.volumeMounts).toEqual([{ name: 'kelos-plugin', mountPath: '/kelos/plugin' }]);
    expect(envOf(agent, 'KELOS_PLUGIN_DIR')?.value).toBe('/kelos/plugin');
  });

  it('omits the items of a plugin with no skills or agents', () => {
    const volumes = build({ agentConfig: { plugins: [{ name: 'empty' }] } }).spec.template.spec.volumes;
    expect(volumes?.[1]).toEqual({ name: 'kelos-plugin-src', configMap: { name: 'my-task-plugins' } });
  });

  it('orders volumes workspace, token, plugin, plugin source, then user volumes', () => {
    const built = build({
      task: makeTask({
        workspaceRef: { name: 'w' },
        podOverrides: { volumes: [{ name: 'cache', emptyDir: {} }] },
      }),
      workspace: makeWorkspace({ secretRef: { name: 'gh' } }),
      agentConfig: { plugins: [plugin], skills: [{ source: 'o/r' }] },
    });
    expect(names(built.spec.template.spec.volumes)).toEqual([
      'workspace',
      'kelos-github-token',
      'kelos-plugin',
      'kelos-plugin-src',
      'cache',
    ]);
    expect(names(agentOf(built).volumeMounts)).toEqual(['workspace', 'kelos-github-token', 'kelos-plugin']);
  });
});

describe('buildPluginConfigMap', () => {
  it('holds the content under p<i>-s<j> / p<i>-a<j> keys, named <task>-plugins in the Task namespace', () => {
    const cm = buildPluginConfigMap(makeTask(), [
      plugin,
      { name: 'ops', skills: [{ name: 'deploy', content: 'D' }] },
    ]);
    expect(cm).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'my-task-plugins', namespace: 'team-a' },
      data: {
        'p0-s0': '# Checklist',
        'p0-s1': 'Style guide',
        'p0-a0': 'Be critical.',
        'p1-s0': 'D',
      },
    });
    expect(pluginConfigMapName('t')).toBe('t-plugins');
  });

  it('accepts content up to 900 KiB in total', () => {
    const big = 'x'.repeat(450 * 1024);
    const plugins = [
      { name: 'p', skills: [{ name: 'a', content: big }], agents: [{ name: 'b', content: big }] },
    ];
    expect(Object.keys(buildPluginConfigMap(makeTask(), plugins).data)).toEqual(['p0-s0', 'p0-a0']);
  });

  it('counts UTF-8 bytes, not characters, against the limit', () => {
    const plugins = [{ name: 'p', skills: [{ name: 'a', content: 'é'.repeat(461_000) }] }];
    expect(() => buildPluginConfigMap(makeTask(), plugins)).toThrow(/plugin content totals 922000 bytes/);
  });
});

describe('AgentConfig: skills.sh', () => {
  const job = build({
    agentConfig: {
      skills: [{ source: 'vercel-labs/agent-skills' }, { source: 'acme/tools', skill: "it's" }],
    },
  });
  const install = initOf(job, 'skills-install');

  it('adds skills-install on the node image as root with HOME on the plugin volume', () => {
    expect(install.image).toBe('node:22.14.0-alpine');
    expect(install.securityContext).toBeUndefined();
    expect(install.env).toEqual([{ name: 'HOME', value: '/kelos/plugin' }]);
    expect(install.volumeMounts).toEqual([{ name: 'kelos-plugin', mountPath: '/kelos/plugin' }]);
    expect(names(job.spec.template.spec.volumes)).toEqual(['kelos-plugin']);
    expect(envOf(agentOf(job), 'KELOS_PLUGIN_DIR')?.value).toBe('/kelos/plugin');
  });

  it('installs each package with npx skills add and moves them into the skills-sh plugin', () => {
    expect(scriptOf(install)).toBe(
      [
        'set -eu',
        'apk add --no-cache git >/dev/null 2>&1',
        "npx -y skills add 'vercel-labs/agent-skills' -a universal -y -g",
        `npx -y skills add 'acme/tools' -a universal -y -g -s 'it'"'"'s'`,
        "[ -d '/kelos/plugin/.agents/skills' ] || { echo 'No skills.sh skills were installed' >&2; exit 1; }",
        "mkdir -p '/kelos/plugin/skills-sh/skills'",
        "mv '/kelos/plugin/.agents/skills'/* '/kelos/plugin/skills-sh/skills'/",
        "rm -rf '/kelos/plugin/.agents' '/kelos/plugin/.npm'",
        "chown -R 61100:61100 '/kelos/plugin'",
      ].join('\n'),
    );
  });

  it('runs after plugin-setup, after the workspace containers', () => {
    const all = build({
      task: makeTask({ workspaceRef: { name: 'w' }, branch: 'b' }),
      workspace: makeWorkspace({ files: [{ path: 'f', content: 'c' }] }),
      agentConfig: { plugins: [plugin], skills: [{ source: 'o/r' }] },
    });
    expect(names(all.spec.template.spec.initContainers)).toEqual([
      'git-clone',
      'branch-setup',
      'workspace-files',
      'plugin-setup',
      'skills-install',
    ]);
  });

  it('uses the configured skills-install image', () => {
    const custom = build({
      agentConfig: { skills: [{ source: 'o/r' }] },
      options: { skillsInstallImage: 'node:x' },
    });
    expect(initOf(custom, 'skills-install').image).toBe('node:x');
  });
});

describe('AgentConfig: MCP servers', () => {
  it('renders KELOS_MCP_SERVERS with empty fields omitted', () => {
    const servers: MCPServer[] = [
      {
        name: 'github',
        type: 'http',
        url: 'https://api.githubcopilot.com/mcp/',
        headers: { Authorization: 'Bearer t' },
      },
      {
        name: 'fs',
        type: 'stdio',
        command: 'npx',
        args: ['-y', 'server-fs', '/workspace'],
        env: { DEBUG: '1' },
      },
      { name: 'bare', type: 'sse', url: 'https://x/sse', args: [], headers: {}, env: {} },
    ];
    const value = envOf(agentOf(build({ agentConfig: { mcpServers: servers } })), 'KELOS_MCP_SERVERS')?.value;
    expect(JSON.parse(value ?? '')).toEqual({
      mcpServers: {
        github: {
          type: 'http',
          url: 'https://api.githubcopilot.com/mcp/',
          headers: { Authorization: 'Bearer t' },
        },
        fs: { type: 'stdio', command: 'npx', args: ['-y', 'server-fs', '/workspace'], env: { DEBUG: '1' } },
        bare: { type: 'sse', url: 'https://x/sse' },
      },
    });
  });

  it('is byte-stable: servers and map keys sorted, fields in type/command/args/url/headers/env order', () => {
    const json = buildMcpServersJson([
      { name: 'z', type: 'stdio', env: { B: '2', A: '1' }, args: ['a'], command: 'c' },
      { name: 'a', type: 'http', headers: { Y: 'y', X: 'x' }, url: 'u' },
    ]);
    expect(json).toBe(
      '{"mcpServers":{"a":{"type":"http","url":"u","headers":{"X":"x","Y":"y"}},' +
        '"z":{"type":"stdio","command":"c","args":["a"],"env":{"A":"1","B":"2"}}}}',
    );
  });

  it('does not render unresolved secret references', () => {
    const json = buildMcpServersJson([
      { name: 's', type: 'http', url: 'u', headersFrom: { secretRef: { name: 'sec' } } },
    ]);
    expect(json).toBe('{"mcpServers":{"s":{"type":"http","url":"u"}}}');
  });

  it('sets no KELOS_MCP_SERVERS for an empty list', () => {
    expect(envOf(agentOf(build({ agentConfig: { mcpServers: [] } })), 'KELOS_MCP_SERVERS')).toBeUndefined();
  });
});

describe('mergeAgentConfigs (spec §5.1)', () => {
  const a: AgentConfigSpec = {
    agentsMD: 'A rules',
    plugins: [{ name: 'pa' }],
    skills: [{ source: 'o/a' }],
    mcpServers: [
      { name: 'one', type: 'stdio', command: 'a1' },
      { name: 'two', type: 'stdio', command: 'a2' },
    ],
  };
  const b: AgentConfigSpec = {
    agentsMD: 'B rules',
    plugins: [{ name: 'pb' }],
    skills: [{ source: 'o/b', skill: 's' }],
    mcpServers: [
      { name: 'three', type: 'http', url: 'u' },
      { name: 'one', type: 'stdio', command: 'b1' },
    ],
  };

  it('joins agentsMD with a blank line and concatenates plugins and skills in order', () => {
    const merged = mergeAgentConfigs([a, b]);
    expect(merged.agentsMD).toBe('A rules\n\nB rules');
    expect(merged.plugins).toEqual([{ name: 'pa' }, { name: 'pb' }]);
    expect(merged.skills).toEqual([{ source: 'o/a' }, { source: 'o/b', skill: 's' }]);
  });

  it('replaces an MCP server of the same name in place', () => {
    expect(mergeAgentConfigs([a, b]).mcpServers).toEqual([
      { name: 'one', type: 'stdio', command: 'b1' },
      { name: 'two', type: 'stdio', command: 'a2' },
      { name: 'three', type: 'http', url: 'u' },
    ]);
  });

  it('skips empty agentsMD values', () => {
    expect(mergeAgentConfigs([{ agentsMD: '' }, { agentsMD: 'x' }, {}, { agentsMD: 'y' }]).agentsMD).toBe(
      'x\n\ny',
    );
  });

  it('uses a single config as it is', () => {
    expect(mergeAgentConfigs([a])).toBe(a);
  });

  it('gives an empty config for no configs or empty ones', () => {
    expect(mergeAgentConfigs([])).toEqual({});
    expect(mergeAgentConfigs([{}, {}])).toEqual({});
  });

  it('feeds the Job: both agentsMD sections reach KELOS_AGENTS_MD', () => {
    const value = envOf(agentOf(build({ agentConfig: mergeAgentConfigs([a, b]) })), 'KELOS_AGENTS_MD')?.value;
    expect(value).toBe('A rules\n\nB rules');
  });
});

describe('agentConfigRefs', () => {
  it('prefers agentConfigRefs, falls back to the single ref, and is empty otherwise', () => {
    expect(agentConfigRefs(makeTask({ agentConfigRefs: [{ name: 'a' }, { name: 'b' }] }).spec)).toEqual([
      { name: 'a' },
      { name: 'b' },
    ]);
    expect(agentConfigRefs(makeTask({ agentConfigRef: { name: 'one' } }).spec)).toEqual([{ name: 'one' }]);
    expect(agentConfigRefs(makeTask().spec)).toEqual([]);
  });
});
