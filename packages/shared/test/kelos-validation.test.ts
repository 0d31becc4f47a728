import { describe, expect, it } from 'vitest';
import { formatFieldError, kelosValidationMessage, validateKelosObject } from '../src/index.js';

const task = (spec: Record<string, unknown>, name = 'fix-bug') => ({
  apiVersion: 'kelos.dev/v1alpha1',
  kind: 'Task',
  metadata: { name },
  spec,
});

const validTaskSpec = {
  type: 'claude-code',
  prompt: 'Fix the flaky test',
  credentials: { type: 'api-key', secretRef: { name: 'anthropic' } },
};

const BLOCKED =
  '<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

function messages(obj: unknown, old?: unknown): string[] {
  return validateKelosObject(obj, old).errors.map(formatFieldError);
}

describe('validateKelosObject: Task', () => {
  it('accepts a valid Task', () => {
    expect(messages(task(validTaskSpec))).toEqual([]);
  });

  it('requires type, prompt and credentials', () => {
    expect(messages(task({}))).toEqual([
      'spec.type: Required value',
      'spec.prompt: Required value',
      'spec.credentials: Required value',
      BLOCKED,
    ]);
  });

  it('rejects an unknown agent type with the supported values, and skips CEL rules as kube-apiserver does', () => {
    expect(messages(task({ ...validTaskSpec, type: 'foo', credentials: { type: 'oauth' } }))).toEqual([
      'spec.type: Unsupported value: "foo": supported values: "claude-code", "codex", "gemini", "opencode", "cursor"',
      BLOCKED,
    ]);
  });

  it('needs a secretRef for api-key and oauth, but not for none', () => {
    expect(messages(task({ ...validTaskSpec, credentials: { type: 'oauth' } }))).toEqual([
      'spec.credentials: Invalid value: "object": secretRef is required for api-key and oauth credential types',
    ]);
    expect(messages(task({ ...validTaskSpec, credentials: { type: 'none' } }))).toEqual([]);
  });

  it('rejects agentConfigRef together with agentConfigRefs', () => {
    const spec = { ...validTaskSpec, agentConfigRef: { name: 'a' }, agentConfigRefs: [{ name: 'b' }] };
    expect(messages(task(spec))).toEqual([
      'spec: Invalid value: "object": agentConfigRef and agentConfigRefs are mutually exclusive',
    ]);
  });

  it('checks minimums and minItems', () => {
    expect(messages(task({ ...validTaskSpec, ttlSecondsAfterFinished: -1, agentConfigRefs: [] }))).toEqual([
      'spec.agentConfigRefs: Invalid value: 0: spec.agentConfigRefs in body should have at least 1 items',
      'spec.ttlSecondsAfterFinished: Invalid value: -1: spec.ttlSecondsAfterFinished in body should be greater than or equal to 0',
    ]);
  });

  it('rejects reserved volume and container names in podOverrides', () => {
    const spec = {
      ...validTaskSpec,
      podOverrides: {
        volumes: [{ name: 'workspace', emptyDir: {} }],
        extraContainers: [{ name: 'kelos-sidecar', image: 'busybox' }],
        extraInitContainers: [{ name: 'git-clone', image: 'busybox' }],
      },
    };
    expect(messages(task(spec))).toEqual([
      "spec.podOverrides.volumes: Invalid value: \"array\": volume names 'workspace' and 'kelos-*' are reserved",
      'spec.podOverrides.extraContainers: Invalid value: "array": container names starting with \'kelos-\' are reserved',
      'spec.podOverrides.extraInitContainers: Invalid value: "array": container names git-clone, remote-setup, ' +
        'branch-setup, workspace-files, plugin-setup, skills-install are reserved for Kelos init containers',
    ]);
  });

  it('keeps unknown fields of embedded Kubernetes types', () => {
    const container = { name: 'proxy', image: 'envoy', ports: [{ containerPort: 8080 }] };
    const { object, errors } = validateKelosObject<{
      spec: { podOverrides: { extraContainers: unknown[] } };
    }>(task({ ...validTaskSpec, podOverrides: { extraContainers: [container] } }));
    expect(errors).toEqual([]);
    expect(object.spec.podOverrides.extraContainers).toEqual([container]);
  });

  it('makes the spec immutable once created', () => {
    const old = task(validTaskSpec);
    expect(messages(task(validTaskSpec), old)).toEqual([]);
    expect(messages(task({ ...validTaskSpec, prompt: 'changed' }), old)).toEqual([
      'spec: Invalid value: "object": Task spec is immutable after creation',
    ]);
  });

  it('checks metadata.name, apiVersion and kind', () => {
    expect(messages(task(validTaskSpec, 'Not_Valid'))[0]).toMatch(
      /^metadata.name: Invalid value: "Not_Valid": /,
    );
    expect(messages({ ...task(validTaskSpec), metadata: {} })).toEqual([
      'metadata.name: Required value: name or generateName is required',
    ]);
    expect(messages({ ...task(validTaskSpec), apiVersion: 'kelos.dev/v1' })).toEqual([
      'apiVersion: Unsupported value: "kelos.dev/v1": supported values: "kelos.dev/v1alpha1"',
    ]);
    expect(messages({ ...task(validTaskSpec), kind: 'Job' })).toEqual([
      'kind: Unsupported value: "Job": supported values: "Task", "Workspace", "AgentConfig", "TaskSpawner"',
    ]);
  });

  it('formats the whole error like kube-apiserver', () => {
    const { prompt: _prompt, ...withoutPrompt } = validTaskSpec;
    expect(kelosValidationMessage(task({ ...withoutPrompt, ttlSecondsAfterFinished: -5 }))).toBe(
      'Task.kelos.dev "fix-bug" is invalid: [spec.ttlSecondsAfterFinished: Invalid value: -5: ' +
        'spec.ttlSecondsAfterFinished in body should be greater than or equal to 0, spec.prompt: Required value, ' +
        `${BLOCKED}]`,
    );
    expect(kelosValidationMessage(task({ ...validTaskSpec, ttlSecondsAfterFinished: -5 }))).toBe(
      'Task.kelos.dev "fix-bug" is invalid: spec.ttlSecondsAfterFinished: Invalid value: -5: ' +
        'spec.ttlSecondsAfterFinished in body should be greater than or equal to 0',
    );
    expect(kelosValidationMessage(task(validTaskSpec))).toBeUndefined();
  });
});

describe('validateKelosObject: Workspace', () => {
  const workspace = (spec: Record<string, unknown>) => ({
    apiVersion: 'kelos.dev/v1alpha1',
    kind: 'Workspace',
    metadata: { name: 'repo' },
    spec,
  });

  it('checks the repo URL pattern', () => {
    expect(messages(workspace({ repo: 'https://github.com/o/r.git' }))).toEqual([]);
    expect(messages(workspace({ repo: 'git@github.com:o/r.git' }))).toEqual([]);
    expect(messages(workspace({ repo: 'ftp://example.com/r' }))).toEqual([
      'spec.repo: Invalid value: "ftp://example.com/r": spec.repo in body should match \'^(https?://|git://|git@).*\'',
    ]);
  });

  it('reserves origin and requires unique remote names', () => {
    const origin = workspace({ repo: 'https://x/r', remotes: [{ name: 'origin', url: 'https://x/y' }] });
    expect(messages(origin)).toEqual([
      'spec.remotes: Invalid value: "array": remote name \'origin\' is reserved for the clone source',
    ]);
    const dup = workspace({
      repo: 'https://x/r',
      remotes: [
        { name: 'upstream', url: 'https://x/y' },
        { name: 'upstream', url: 'https://x/z' },
      ],
    });
    expect(messages(dup)).toContain('spec.remotes: Invalid value: "array": remote names must be unique');
  });

  it('requires a non-empty setupCommand and file paths', () => {
    expect(
      messages(workspace({ repo: 'https://x/r', setupCommand: [], files: [{ path: '', content: '' }] })),
    ).toEqual([
      'spec.files[0].path: Invalid value: "": spec.files[0].path in body should be at least 1 chars long',
      'spec.setupCommand: Invalid value: 0: spec.setupCommand in body should have at least 1 items',
    ]);
  });
});

describe('validateKelosObject: TaskSpawner', () => {
  const spawner = (spec: Record<string, unknown>) => ({
    apiVersion: 'kelos.dev/v1alpha1',
    kind: 'TaskSpawner',
    metadata: { name: 'triage' },
    spec,
  });
  const template = { type: 'claude-code', credentials: { type: 'oauth', secretRef: { name: 'claude' } } };

  it('applies the defaults of the spec', () => {
    const { object, errors } = validateKelosObject<{ spec: Record<string, unknown> }>(
      spawner({ when: { githubIssues: {} }, taskTemplate: { ...template, workspaceRef: { name: 'repo' } } }),
    );
    expect(errors).toEqual([]);
    expect(object.spec.pollInterval).toBe('5m');
    expect(object.spec.suspend).toBe(false);
    expect(object.spec.when).toEqual({ githubIssues: { state: 'open', types: ['issues'] } });
  });

  it('requires a workspace for GitHub sources but not for cron', () => {
    expect(messages(spawner({ when: { githubIssues: {} }, taskTemplate: template }))).toEqual([
      'spec: Invalid value: "object": taskTemplate.workspaceRef is required for githubIssues and githubPullRequests sources',
    ]);
    expect(messages(spawner({ when: { cron: { schedule: '0 * * * *' } }, taskTemplate: template }))).toEqual(
      [],
    );
  });

  it('rejects legacy comment fields mixed with commentPolicy, and bad team names', () => {
    const spec = {
      when: {
        githubIssues: { triggerComment: '/kelos', commentPolicy: { allowedTeams: ['no-slash'] } },
      },
      taskTemplate: { ...template, workspaceRef: { name: 'repo' } },
    };
    expect(messages(spawner(spec))).toEqual([
      'spec.when.githubIssues.commentPolicy.allowedTeams[0]: Invalid value: "no-slash": spec.when.githubIssues.commentPolicy.allowedTeams[0] in body should match \'^[^/]+/[^/]+$\'',
      'spec.when.githubIssues: Invalid value: "object": triggerComment and excludeComments cannot be combined with commentPolicy',
    ]);
  });

  it('rejects negative limits and unknown enum values', () => {
    const spec = {
      when: { githubPullRequests: { reviewState: 'maybe' } },
      taskTemplate: { ...template, workspaceRef: { name: 'repo' } },
      maxConcurrency: -1,
    };
    expect(messages(spawner(spec))).toEqual([
      'spec.when.githubPullRequests.reviewState: Unsupported value: "maybe": supported values: "approved", "changes_requested", "any"',
      'spec.maxConcurrency: Invalid value: -1: spec.maxConcurrency in body should be greater than or equal to 0',
      BLOCKED,
    ]);
  });
});
