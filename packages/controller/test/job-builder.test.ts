import { AGENT_TYPES, type AgentType, type CredentialType } from '@kelos/shared';
import { describe, expect, it } from 'vitest';
import { agentOf, build, envOf, makeTask, makeWorkspace, names } from './fixtures/job/objects.js';

describe('buildJob: the Job object', () => {
  it('names the Job after the Task, in its namespace, without an ownerReference', () => {
    const job = build();
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.kind).toBe('Job');
    expect(job.metadata).toEqual({
      name: 'my-task',
      namespace: 'team-a',
      labels: {
        'kelos.dev/name': 'kelos',
        'kelos.dev/component': 'task',
        'kelos.dev/managed-by': 'kelos-controller',
        'kelos.dev/task': 'my-task',
      },
    });
    expect(job.metadata.ownerReferences).toBeUndefined();
  });

  it('puts the same labels on the Pod template', () => {
    const job = build();
    expect(job.spec.template.metadata.labels).toEqual(job.metadata.labels);
  });

  it('retries only disruptions: backoffLimit 1 and the built-in podFailurePolicy', () => {
    const { spec } = build();
    expect(spec.backoffLimit).toBe(1);
    expect(spec.podFailurePolicy).toEqual({
      rules: [
        { action: 'Count', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
        { action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [0] } },
      ],
    });
  });

  it('never restarts the pod and sets no deadline by default', () => {
    const job = build();
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.activeDeadlineSeconds).toBeUndefined();
  });

  it('has exactly one container and no init containers, volumes or security context without a workspace', () => {
    const pod = build().spec.template.spec;
    expect(names(pod.containers)).toEqual(['kelos-agent']);
    expect(pod.initContainers).toBeUndefined();
    expect(pod.volumes).toBeUndefined();
    expect(pod.securityContext).toBeUndefined();
    expect(agentOf(build()).workingDir).toBeUndefined();
    expect(agentOf(build()).volumeMounts).toBeUndefined();
  });

  it('passes the resolved prompt as the only argument, not spec.prompt', () => {
    const agent = agentOf(build({ task: makeTask({ prompt: 'raw {{ .Deps }}' }), prompt: 'rendered' }));
    expect(agent.args).toEqual(['rendered']);
  });

  it('keeps a multi-line prompt with quotes intact', () => {
    const prompt = 'Fix "it"\nand it\'s $(not) run';
    expect(agentOf(build({ prompt })).args).toEqual([prompt]);
  });

  it('is deterministic and does not share objects between builds', () => {
    const input = {
      task: makeTask({ workspaceRef: { name: 'r' } }),
      workspace: makeWorkspace({ secretRef: { name: 's' } }),
    };
    const a = build(input);
    const b = build(input);
    expect(a).toEqual(b);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    a.spec.template.spec.volumes?.push({ name: 'mutated' });
    expect(names(b.spec.template.spec.volumes)).not.toContain('mutated');
  });

  it('does not modify its input', () => {
    const task = makeTask({
      podOverrides: { env: [{ name: 'KELOS_MODEL', value: 'x' }], labels: { a: 'b' } },
    });
    const before = structuredClone(task);
    build({ task, workspace: makeWorkspace() });
    expect(task).toEqual(before);
  });

  it('omits the namespace when the Task has none', () => {
    expect(build({ task: makeTask({}, { namespace: undefined }) }).metadata.namespace).toBeUndefined();
  });
});

describe('buildJob: agent container image and command', () => {
  it.each(AGENT_TYPES)('%s uses ghcr.io/kelos-dev/<type>:latest under tini by default', (type) => {
    const agent = agentOf(build({ task: makeTask({ type }) }));
    expect(agent.name).toBe('kelos-agent');
    expect(agent.image).toBe(`ghcr.io/kelos-dev/${type}:latest`);
    expect(agent.command).toEqual(['/usr/bin/tini', '-g', '--', '/kelos_entrypoint.sh']);
  });

  it('uses spec.image verbatim and runs the entrypoint without tini', () => {
    const agent = agentOf(build({ task: makeTask({ image: 'my-agent' }), options: { version: 'v9' } }));
    expect(agent.image).toBe('my-agent');
    expect(agent.command).toEqual(['/kelos_entrypoint.sh']);
  });

  it('keeps tini for a pinned tag or digest of a bundled image given as spec.image', () => {
    const tagged = agentOf(build({ task: makeTask({ image: 'ghcr.io/kelos-dev/codex:v0.3.0' }) }));
    const digest = agentOf(build({ task: makeTask({ image: 'ghcr.io/kelos-dev/gemini@sha256:abc' }) }));
    expect(tagged.command?.[0]).toBe('/usr/bin/tini');
    expect(digest.command?.[0]).toBe('/usr/bin/tini');
  });

  it('does not use tini for a mirror of a bundled image', () => {
    const agent = agentOf(
      build({ task: makeTask({ image: 'mirror.example/kelos-dev/claude-code:latest' }) }),
    );
    expect(agent.command).toEqual(['/kelos_entrypoint.sh']);
  });

  it('applies the controller version to untagged default and configured images', () => {
    expect(agentOf(build({ options: { version: 'v1.2.3' } })).image).toBe(
      'ghcr.io/kelos-dev/claude-code:v1.2.3',
    );
    const configured = build({
      task: makeTask({ type: 'codex' }),
      options: { version: 'v1.2.3', images: { codex: 'registry.local:5000/codex' } },
    });
    expect(agentOf(configured).image).toBe('registry.local:5000/codex:v1.2.3');
  });

  it('leaves a configured image that already has a tag or digest alone', () => {
    const options = { version: 'v2', images: { 'claude-code': 'example.com/claude:dev' } };
    expect(agentOf(build({ options })).image).toBe('example.com/claude:dev');
    const digest = { version: 'v2', images: { 'claude-code': 'example.com/claude@sha256:ff' } };
    expect(agentOf(build({ options: digest })).image).toBe('example.com/claude@sha256:ff');
  });

  it('sets imagePullPolicy from the per-type option, falling back to the global one', () => {
    const options = { imagePullPolicy: 'IfNotPresent', imagePullPolicies: { codex: 'Never' } };
    expect(agentOf(build({ options })).imagePullPolicy).toBe('IfNotPresent');
    expect(agentOf(build({ task: makeTask({ type: 'codex' }), options })).imagePullPolicy).toBe('Never');
    expect(agentOf(build()).imagePullPolicy).toBeUndefined();
  });

  it('applies the pull policy to a custom spec.image too', () => {
    const agent = agentOf(
      build({ task: makeTask({ image: 'mine:1' }), options: { imagePullPolicy: 'Always' } }),
    );
    expect(agent.imagePullPolicy).toBe('Always');
  });
});

const CREDENTIAL_ENV: Record<AgentType, Record<'api-key' | 'oauth', string>> = {
  'claude-code': { 'api-key': 'ANTHROPIC_API_KEY', oauth: 'CLAUDE_CODE_OAUTH_TOKEN' },
  codex: { 'api-key': 'CODEX_API_KEY', oauth: 'CODEX_AUTH_JSON' },
  gemini: { 'api-key': 'GEMINI_API_KEY', oauth: 'GEMINI_API_KEY' },
  opencode: { 'api-key': 'OPENCODE_API_KEY', oauth: 'OPENCODE_API_KEY' },
  cursor: { 'api-key': 'CURSOR_API_KEY', oauth: 'CURSOR_API_KEY' },
};

describe('buildJob: credentials', () => {
  const cases = AGENT_TYPES.flatMap((type) =>
    (['api-key', 'oauth'] as const).map((cred) => [type, cred, CREDENTIAL_ENV[type][cred]] as const),
  );

  it.each(cases)('%s with %s credentials reads %s from the Secret key of that name', (type, cred, env) => {
    const task = makeTask({ type, credentials: { type: cred, secretRef: { name: 'creds' } } });
    const agent = agentOf(build({ task }));
    expect(names(agent.env)).toEqual(['KELOS_AGENT_TYPE', env]);
    expect(envOf(agent, env)).toEqual({
      name: env,
      valueFrom: { secretKeyRef: { name: 'creds', key: env } },
    });
  });

  it.each(AGENT_TYPES)('%s with credentials none injects nothing', (type) => {
    const task = makeTask({ type, credentials: { type: 'none' as CredentialType } });
    expect(names(agentOf(build({ task })).env)).toEqual(['KELOS_AGENT_TYPE']);
  });

  it('lets credentials none bring their own env through podOverrides', () => {
    const task = makeTask({
      credentials: { type: 'none' },
      podOverrides: {
        env: [
          { name: 'CLAUDE_CODE_USE_BEDROCK', value: '1' },
          { name: 'AWS_REGION', value: 'us-east-1' },
        ],
        serviceAccountName: 'bedrock',
      },
    });
    const job = build({ task });
    expect(names(agentOf(job).env)).toEqual(['KELOS_AGENT_TYPE', 'CLAUDE_CODE_USE_BEDROCK', 'AWS_REGION']);
    expect(job.spec.template.spec.serviceAccountName).toBe('bedrock');
  });
});

describe('buildJob: agent env order (spec §4.3)', () => {
  it('a model + api-key Task has exactly KELOS_MODEL, KELOS_AGENT_TYPE, ANTHROPIC_API_KEY', () => {
    const agent = agentOf(build({ task: makeTask({ model: 'claude-sonnet-4' }) }));
    expect(agent.env).toEqual([
      { name: 'KELOS_MODEL', value: 'claude-sonnet-4' },
      { name: 'KELOS_AGENT_TYPE', value: 'claude-code' },
      {
        name: 'ANTHROPIC_API_KEY',
        valueFrom: { secretKeyRef: { name: 'agent-key', key: 'ANTHROPIC_API_KEY' } },
      },
    ]);
  });

  it('emits model, effort, branch, type, spawner and credential in table order', () => {
    const task = makeTask(
      { model: 'm', effort: 'high', branch: 'kelos/b' },
      { labels: { 'kelos.dev/taskspawner': 'triage' } },
    );
    const agent = agentOf(build({ task }));
    expect(names(agent.env)).toEqual([
      'KELOS_MODEL',
      'KELOS_EFFORT',
      'KELOS_BRANCH',
      'KELOS_AGENT_TYPE',
      'KELOS_TASKSPAWNER',
      'ANTHROPIC_API_KEY',
    ]);
    expect(envOf(agent, 'KELOS_EFFORT')?.value).toBe('high');
    expect(envOf(agent, 'KELOS_BRANCH')?.value).toBe('kelos/b');
    expect(envOf(agent, 'KELOS_TASKSPAWNER')?.value).toBe('triage');
  });

  it('sets KELOS_BRANCH even without a workspace (but adds no branch-setup)', () => {
    const job = build({ task: makeTask({ branch: 'b' }) });
    expect(envOf(agentOf(job), 'KELOS_BRANCH')?.value).toBe('b');
    expect(job.spec.template.spec.initContainers).toBeUndefined();
  });

  it('emits all 17 built-in rows in order when everything is set', () => {
    const task = makeTask(
      { model: 'm', effort: 'e', branch: 'b', upstreamRepo: 'up/app', workspaceRef: { name: 'w' } },
      { labels: { 'kelos.dev/taskspawner': 's' } },
    );
    const workspace = makeWorkspace({
      repo: 'https://ghe.example.com/org/app.git',
      ref: 'main',
      secretRef: { name: 'gh' },
      setupCommand: ['make', 'setup'],
    });
    const agentConfig = {
      agentsMD: 'md',
      plugins: [{ name: 'p' }],
      mcpServers: [{ name: 'x', type: 'stdio' as const, command: 'x' }],
    };
    const agent = agentOf(build({ task, workspace, agentConfig }));
    expect(names(agent.env)).toEqual([
      'KELOS_MODEL',
      'KELOS_EFFORT',
      'KELOS_BRANCH',
      'KELOS_AGENT_TYPE',
      'KELOS_TASKSPAWNER',
      'ANTHROPIC_API_KEY',
      'GH_HOST',
      'KELOS_BASE_BRANCH',
      'KELOS_UPSTREAM_REPO',
      'GITHUB_TOKEN',
      'GH_ENTERPRISE_TOKEN',
      'GH_CONFIG_DIR',
      'KELOS_GITHUB_TOKEN_FILE',
      'KELOS_SETUP_COMMAND',
      'KELOS_AGENTS_MD',
      'KELOS_PLUGIN_DIR',
      'KELOS_MCP_SERVERS',
    ]);
  });

  it('appends podOverrides.env after the built-ins, dropping names Kelos set and the always-reserved ones', () => {
    const task = makeTask({
      model: 'm',
      podOverrides: {
        env: [
          { name: 'FIRST', value: '1' },
          { name: 'KELOS_MODEL', value: 'hijack' },
          { name: 'ANTHROPIC_API_KEY', value: 'plain' },
          { name: 'KELOS_SETUP_COMMAND', value: '["sh","-c","evil"]' },
          { name: 'KELOS_SESSION_SETUP_ONLY', value: '1' },
          { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
        ],
      },
    });
    const agent = agentOf(build({ task }));
    expect(names(agent.env)).toEqual([
      'KELOS_MODEL',
      'KELOS_AGENT_TYPE',
      'ANTHROPIC_API_KEY',
      'FIRST',
      'FROM_SECRET',
    ]);
    expect(envOf(agent, 'KELOS_MODEL')?.value).toBe('m');
    expect(envOf(agent, 'FROM_SECRET')?.valueFrom).toEqual({ secretKeyRef: { name: 's', key: 'k' } });
  });

  it('keeps a user GITHUB_TOKEN when no workspace sets one, and drops it when one does', () => {
    const task = makeTask({ podOverrides: { env: [{ name: 'GITHUB_TOKEN', value: 'mine' }] } });
    expect(envOf(agentOf(build({ task })), 'GITHUB_TOKEN')?.value).toBe('mine');
    const withWorkspace = build({ task, workspace: makeWorkspace({ secretRef: { name: 'gh' } }) });
    expect(envOf(agentOf(withWorkspace), 'GITHUB_TOKEN')?.valueFrom).toBeDefined();
    expect(agentOf(withWorkspace).env?.filter((e) => e.name === 'GITHUB_TOKEN')).toHaveLength(1);
  });

  it('drops a user KELOS_SETUP_COMMAND even when the workspace has none', () => {
    const task = makeTask({ podOverrides: { env: [{ name: 'KELOS_SETUP_COMMAND', value: '["id"]' }] } });
    expect(
      envOf(agentOf(build({ task, workspace: makeWorkspace() })), 'KELOS_SETUP_COMMAND'),
    ).toBeUndefined();
  });

  it('ignores an empty model, effort and branch', () => {
    const task = makeTask({ model: '', effort: '', branch: '' });
    expect(names(agentOf(build({ task })).env)).toEqual(['KELOS_AGENT_TYPE', 'ANTHROPIC_API_KEY']);
  });

  it('ignores other labels of the Task', () => {
    const task = makeTask({}, { labels: { 'kelos.dev/other': 'x' } });
    expect(envOf(agentOf(build({ task })), 'KELOS_TASKSPAWNER')).toBeUndefined();
  });
});
