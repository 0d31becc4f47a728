import type { AgentConfigSpec, PodOverrides, Task, WorkspaceSpec } from '@kelos/shared';
import { describe, expect, it } from 'vitest';
import { buildPluginConfigMap, JobBuildError } from '../src/job/index.js';
import { build, makeTask, makeWorkspace } from './fixtures/job/objects.js';

function expectBuildError(fn: () => unknown, message: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(JobBuildError);
  expect((thrown as Error).message).toBe(message);
}

const withOverrides = (podOverrides: PodOverrides) => () => build({ task: makeTask({ podOverrides }) });
const withConfig = (agentConfig: AgentConfigSpec) => () => build({ agentConfig });
const withWorkspace = (ws: Partial<WorkspaceSpec>) => () =>
  build({ task: makeTask({ workspaceRef: { name: 'w' } }), workspace: makeWorkspace(ws) });

describe('JobBuildError', () => {
  it('is an Error named JobBuildError', () => {
    const error = new JobBuildError('x');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('JobBuildError');
  });

  it('rejects an unsupported agent type', () => {
    const task = makeTask({ type: 'x' as Task['spec']['type'] });
    expectBuildError(() => build({ task }), 'unsupported agent type "x"');
  });

  it('rejects a Task without a name', () => {
    expectBuildError(() => build({ task: makeTask({}, { name: undefined }) }), 'task has no metadata.name');
  });

  it.each(['api-key', 'oauth'] as const)('rejects %s credentials without a secretRef', (type) => {
    const task = makeTask({ credentials: { type } });
    expectBuildError(() => build({ task }), `credentials.secretRef is required for ${type} credentials`);
  });
});

describe('JobBuildError: workspace files', () => {
  it.each([
    ['', 'path is empty'],
    ['   ', 'path is empty'],
    ['dir\\file', 'path must use forward slashes'],
    ['.', 'path resolves to current directory'],
    ['a/..', 'path resolves to current directory'],
    ['./', 'path resolves to current directory'],
    ['/etc/passwd', 'absolute paths are not allowed'],
    ['..', 'path escapes repository root'],
    ['../outside', 'path escapes repository root'],
    ['a/../../outside', 'path escapes repository root'],
  ])('rejects %j: %s', (path, problem) => {
    expectBuildError(
      withWorkspace({ files: [{ path, content: 'x' }] }),
      `invalid workspace file path ${JSON.stringify(path)}: ${problem}`,
    );
  });
});

describe('JobBuildError: plugin, skill, agent and MCP names', () => {
  const bad = [
    ['', 'name is empty'],
    ['a/b', 'name "a/b" contains path separators'],
    ['a\\b', 'name "a\\\\b" contains path separators'],
    ['.', 'name "." is a path traversal'],
    ['..', 'name ".." is a path traversal'],
  ] as const;

  it.each(bad)('rejects plugin name %j', (name, problem) => {
    expectBuildError(withConfig({ plugins: [{ name }] }), `invalid plugin configuration: plugin ${problem}`);
  });

  it.each(bad)('rejects skill name %j', (name, problem) => {
    const plugins = [{ name: 'p', skills: [{ name, content: '' }] }];
    expectBuildError(withConfig({ plugins }), `invalid plugin configuration: skill ${problem}`);
  });

  it.each(bad)('rejects sub-agent name %j', (name, problem) => {
    const plugins = [{ name: 'p', agents: [{ name, content: '' }] }];
    expectBuildError(withConfig({ plugins }), `invalid plugin configuration: agent ${problem}`);
  });

  it.each(bad)('rejects MCP server name %j', (name, problem) => {
    expectBuildError(
      withConfig({ mcpServers: [{ name, type: 'stdio', command: 'x' }] }),
      `invalid MCP server configuration: MCP server ${problem}`,
    );
  });

  it('rejects a duplicate MCP server name', () => {
    const mcpServers = [
      { name: 'gh', type: 'http' as const, url: 'a' },
      { name: 'gh', type: 'http' as const, url: 'b' },
    ];
    expectBuildError(
      withConfig({ mcpServers }),
      'invalid MCP server configuration: duplicate MCP server name "gh"',
    );
  });

  it('rejects the plugin name skills-sh together with skills, and allows it without', () => {
    expectBuildError(
      withConfig({ plugins: [{ name: 'skills-sh' }], skills: [{ source: 'o/r' }] }),
      'invalid plugin configuration: plugin name "skills-sh" is reserved for skills.sh packages when spec.skills is set',
    );
    expect(withConfig({ plugins: [{ name: 'skills-sh' }] })).not.toThrow();
  });

  it('rejects an empty skills.sh source', () => {
    expectBuildError(
      withConfig({ skills: [{ source: '' }] }),
      'invalid skills configuration: skills.sh source is empty',
    );
  });

  it('rejects plugin content over 900 KiB, in the Job and in the ConfigMap', () => {
    const plugins = [{ name: 'p', skills: [{ name: 's', content: 'x'.repeat(900 * 1024 + 1) }] }];
    const message =
      'invalid plugin configuration: plugin content totals 921601 bytes, exceeding the 921600 byte ConfigMap ' +
      'budget; reduce skill/agent content size';
    expectBuildError(withConfig({ plugins }), message);
    expectBuildError(() => buildPluginConfigMap(makeTask(), plugins), message);
  });

  it('validates names in buildPluginConfigMap too', () => {
    expectBuildError(
      () => buildPluginConfigMap(makeTask(), [{ name: '../x' }]),
      'invalid plugin configuration: plugin name "../x" contains path separators',
    );
  });
});

describe('JobBuildError: podOverrides', () => {
  it.each([
    ['workspace', '"workspace" is a Kelos-reserved volume name'],
    ['kelos-plugin', '"kelos-plugin" uses the reserved "kelos-" volume name prefix'],
    ['kelos-anything', '"kelos-anything" uses the reserved "kelos-" volume name prefix'],
  ])('rejects the volume name %s', (name, problem) => {
    expectBuildError(
      withOverrides({ volumes: [{ name, emptyDir: {} }] }),
      `podOverrides.volumes: ${problem}`,
    );
  });

  it('rejects duplicate volume names', () => {
    expectBuildError(
      withOverrides({ volumes: [{ name: 'a' }, { name: 'a' }] }),
      'podOverrides.volumes: duplicate volume name "a"',
    );
  });

  const containerCases = [
    ['kelos-agent', '"kelos-agent" uses the reserved "kelos-" container name prefix'],
    ['kelos-sidecar', '"kelos-sidecar" uses the reserved "kelos-" container name prefix'],
    ...['git-clone', 'remote-setup', 'branch-setup', 'workspace-files', 'plugin-setup', 'skills-install'].map(
      (name) => [name, `"${name}" is a Kelos-reserved container name`] as const,
    ),
    ['', 'container name is empty'],
  ] as const;

  it.each(containerCases)('rejects extra container %j', (name, problem) => {
    expectBuildError(withOverrides({ extraContainers: [{ name }] }), `podOverrides: ${problem}`);
  });

  it.each(containerCases)('rejects extra init container %j', (name, problem) => {
    expectBuildError(withOverrides({ extraInitContainers: [{ name }] }), `podOverrides: ${problem}`);
  });

  it('rejects duplicates within one list', () => {
    expectBuildError(
      withOverrides({ extraContainers: [{ name: 'db' }, { name: 'db' }] }),
      'podOverrides: duplicate container name "db"',
    );
    expectBuildError(
      withOverrides({ extraInitContainers: [{ name: 'm' }, { name: 'm' }] }),
      'podOverrides: duplicate container name "m"',
    );
  });

  it('rejects a name used in both lists', () => {
    expectBuildError(
      withOverrides({ extraContainers: [{ name: 'db' }], extraInitContainers: [{ name: 'db' }] }),
      'podOverrides: container name "db" appears in both extraContainers and extraInitContainers',
    );
  });
});
