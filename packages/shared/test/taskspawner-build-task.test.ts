import { describe, expect, it } from 'vitest';
import type { TaskSpawner } from '../src/schema/taskspawner.js';
import {
  buildSpawnedTask,
  isSpawnedBy,
  renderSpawnerTemplate,
  renderTaskTemplate,
  SpawnerTemplateError,
  sourceAnnotations,
  spawnedTaskName,
  upstreamRepoOf,
  type WorkItem,
  workItemTemplateVars,
} from '../src/taskspawner/index.js';

const issue: WorkItem = {
  id: '42',
  number: 42,
  title: 'Flaky test',
  body: 'It fails.',
  url: 'https://github.com/acme/app/issues/42',
  labels: ['bug', 'p1'],
  comments: 'first\n---\nsecond',
  kind: 'Issue',
};

const tick: WorkItem = {
  id: '20260102-0930',
  number: 0,
  title: '2026-01-02T09:30:00Z',
  body: '',
  url: '',
  labels: [],
  comments: '',
  kind: '',
  time: '2026-01-02T09:30:00Z',
  schedule: '30 9 * * *',
};

function spawner(overrides: Partial<TaskSpawner['spec']> = {}, name = 'fixer'): TaskSpawner {
  return {
    apiVersion: 'kelos.dev/v1alpha1',
    kind: 'TaskSpawner',
    metadata: { name, namespace: 'team', uid: 'uid-1', generation: 3 },
    spec: {
      when: { githubIssues: {} },
      taskTemplate: {
        type: 'claude-code',
        credentials: { type: 'api-key', secretRef: { name: 'anthropic' } },
        workspaceRef: { name: 'app' },
      },
      ...overrides,
    },
  };
}

describe('workItemTemplateVars', () => {
  it('exposes the §10.5 variables with Go names, Number as an int and Kind defaulting to Issue', () => {
    expect(workItemTemplateVars({ ...issue, kind: '' })).toEqual({
      ID: '42',
      Number: 42,
      Title: 'Flaky test',
      Body: 'It fails.',
      URL: 'https://github.com/acme/app/issues/42',
      Labels: 'bug, p1',
      Comments: 'first\n---\nsecond',
      Kind: 'Issue',
      Branch: '',
      ReviewState: '',
      ReviewComments: '',
      Time: '',
      Schedule: '',
    });
  });

  it('adds Context only when context values are given', () => {
    expect(workItemTemplateVars(issue)).not.toHaveProperty('Context');
    expect(workItemTemplateVars(issue, { docs: 'README' }).Context).toEqual({ docs: 'README' });
  });

  it('renders Number as an int, so printf %d and arithmetic-free formatting work', () => {
    const vars = workItemTemplateVars(issue);
    expect(renderSpawnerTemplate('t', 'kelos-task-{{.Number}} {{printf "%05d" .Number}}', vars)).toBe(
      'kelos-task-42 00042',
    );
  });
});

describe('renderSpawnerTemplate', () => {
  const vars = workItemTemplateVars(issue);

  it('fails on a missing key instead of printing <no value> (missingkey=error)', () => {
    expect(() => renderSpawnerTemplate('prompt', '{{.Nope}}', vars)).toThrow(
      'failed to execute template: template: prompt:1:2: executing "prompt" at <.Nope>: map has no entry for key "Nope"',
    );
  });

  it('reports a syntax error as a parse failure', () => {
    expect(() => renderSpawnerTemplate('branch', 'x-{{.Number', vars)).toThrow(/^failed to parse template: /);
    expect(() => renderSpawnerTemplate('branch', 'x-{{.Number', vars)).toThrow(SpawnerTemplateError);
  });

  it('fails on a missing context entry', () => {
    const withContext = workItemTemplateVars(issue, { a: '1' });
    expect(renderSpawnerTemplate('p', '{{.Context.a}}', withContext)).toBe('1');
    expect(() => renderSpawnerTemplate('p', '{{.Context.b}}', withContext)).toThrow(
      'map has no entry for key "b"',
    );
  });
});

describe('spawnedTaskName', () => {
  it.each([
    ['fixer', '42', 'fixer-42'],
    ['nightly', '20260102-0930', 'nightly-20260102-0930'],
    ['Jira-Sync', 'ENG-42', 'jira-sync-eng-42'],
  ])('%s + %s -> %s', (spawnerName, id, expected) => {
    expect(spawnedTaskName(spawnerName, id)).toBe(expected);
  });

  it('turns an invalid name into a valid DNS-1123 label with a hash suffix, deterministically', () => {
    const a = spawnedTaskName('fixer', 'a_b');
    const b = spawnedTaskName('fixer', 'a-b');
    expect(b).toBe('fixer-a-b');
    expect(a).toMatch(/^fixer-a-b-[0-9a-f]{10}$/);
    expect(spawnedTaskName('fixer', 'a_b')).toBe(a);
  });

  it('shortens names over 63 characters, keeping them distinct', () => {
    const long = 'x'.repeat(70);
    const one = spawnedTaskName(long, '1');
    const two = spawnedTaskName(long, '2');
    for (const name of [one, two]) {
      expect(name).toHaveLength(63);
      expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
    expect(one).not.toBe(two);
    expect(spawnedTaskName('x'.repeat(62), '')).toMatch(/^x{52}-[0-9a-f]{10}$/);
  });

  it('drops leading and trailing separators of the prefix', () => {
    expect(spawnedTaskName('_', '_')).toMatch(/^[0-9a-f]{10}$/);
    expect(spawnedTaskName('fixer', '_7_')).toMatch(/^fixer--7-[0-9a-f]{10}$/);
  });
});

describe('renderTaskTemplate', () => {
  it('uses {{.Title}} as the default prompt and copies every other field', () => {
    const rendered = renderTaskTemplate(
      {
        type: 'codex',
        credentials: { type: 'oauth', secretRef: { name: 'codex' } },
        model: 'gpt',
        effort: 'high',
        image: 'reg/agent:1',
        workspaceRef: { name: 'app' },
        agentConfigRefs: [{ name: 'a' }, { name: 'b' }],
        dependsOn: ['setup'],
        branch: 'kelos-task-{{.Number}}',
        ttlSecondsAfterFinished: 0,
        podOverrides: { labels: { team: 'x' } },
        upstreamRepo: 'acme/app',
      },
      workItemTemplateVars(issue),
    );
    expect(rendered).toEqual({
      spec: {
        type: 'codex',
        prompt: 'Flaky test',
        credentials: { type: 'oauth', secretRef: { name: 'codex' } },
        model: 'gpt',
        effort: 'high',
        image: 'reg/agent:1',
        workspaceRef: { name: 'app' },
        agentConfigRefs: [{ name: 'a' }, { name: 'b' }],
        dependsOn: ['setup'],
        branch: 'kelos-task-42',
        ttlSecondsAfterFinished: 0,
        podOverrides: { labels: { team: 'x' } },
        upstreamRepo: 'acme/app',
      },
      labels: {},
      annotations: {},
    });
  });

  it('leaves out empty optional fields', () => {
    const rendered = renderTaskTemplate(
      { type: 'claude-code', credentials: { type: 'none' }, dependsOn: [], branch: '', model: '' },
      workItemTemplateVars(issue),
    );
    expect(rendered.spec).toEqual({
      type: 'claude-code',
      prompt: 'Flaky test',
      credentials: { type: 'none' },
    });
  });

  it('names the field whose template failed', () => {
    const base = { type: 'claude-code' as const, credentials: { type: 'none' as const } };
    const vars = workItemTemplateVars(issue);
    expect(() => renderTaskTemplate({ ...base, promptTemplate: '{{.X}}' }, vars)).toThrow(
      /^failed to render prompt template: failed to execute template: template: prompt:1:2: /,
    );
    expect(() => renderTaskTemplate({ ...base, branch: '{{.X}}' }, vars)).toThrow(
      /^failed to render branch template: /,
    );
    expect(() => renderTaskTemplate({ ...base, metadata: { labels: { team: '{{.X}}' } } }, vars)).toThrow(
      /^failed to render label team: failed to execute template: template: label\[team\]:1:2: /,
    );
    expect(() => renderTaskTemplate({ ...base, metadata: { annotations: { a: '{{' } } }, vars)).toThrow(
      /^failed to render annotation a: failed to parse template: /,
    );
  });
});

describe('buildSpawnedTask', () => {
  it('builds the Task of §10.3 step 6', () => {
    const ts = spawner({
      taskTemplate: {
        type: 'claude-code',
        credentials: { type: 'api-key', secretRef: { name: 'anthropic' } },
        workspaceRef: { name: 'app' },
        promptTemplate: 'Fix {{.Kind}} #{{.Number}}: {{.Title}}\n{{.Body}}',
        branch: 'kelos-task-{{.Number}}',
        metadata: {
          labels: { 'kelos.dev/taskspawner': 'spoofed', team: 'num-{{.Number}}' },
          annotations: { note: '{{.Labels}}', 'kelos.dev/source-number': '999' },
        },
      },
    });
    expect(buildSpawnedTask(ts, issue)).toEqual({
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'Task',
      metadata: {
        name: 'fixer-42',
        namespace: 'team',
        labels: { 'kelos.dev/taskspawner': 'fixer', team: 'num-42' },
        annotations: {
          note: 'bug, p1',
          'kelos.dev/source-kind': 'issue',
          'kelos.dev/source-number': '42',
        },
        ownerReferences: [
          {
            apiVersion: 'kelos.dev/v1alpha1',
            kind: 'TaskSpawner',
            name: 'fixer',
            uid: 'uid-1',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        type: 'claude-code',
        prompt: 'Fix Issue #42: Flaky test\nIt fails.',
        credentials: { type: 'api-key', secretRef: { name: 'anthropic' } },
        workspaceRef: { name: 'app' },
        branch: 'kelos-task-42',
      },
    });
  });

  it('has no source annotations for cron, and renders the tick variables', () => {
    const ts = spawner({
      when: { cron: { schedule: '30 9 * * *' } },
      taskTemplate: {
        type: 'claude-code',
        credentials: { type: 'none' },
        promptTemplate: 'Run at {{.Time}} ({{.Schedule}}), id {{.ID}}',
      },
    });
    const task = buildSpawnedTask(ts, tick);
    expect(task.metadata.name).toBe('fixer-20260102-0930');
    expect(task.metadata.annotations).toBeUndefined();
    expect(task.spec.prompt).toBe('Run at 2026-01-02T09:30:00Z (30 9 * * *), id 20260102-0930');
  });

  it('derives upstreamRepo from the source repo override unless the template sets one', () => {
    const fork = spawner({ when: { githubIssues: { repo: 'https://github.com/upstream/app.git' } } });
    expect(buildSpawnedTask(fork, issue).spec.upstreamRepo).toBe('upstream/app');
    fork.spec.taskTemplate.upstreamRepo = 'explicit/repo';
    expect(buildSpawnedTask(fork, issue).spec.upstreamRepo).toBe('explicit/repo');
    expect(buildSpawnedTask(spawner(), issue).spec).not.toHaveProperty('upstreamRepo');
  });

  it('passes context values to the templates', () => {
    const ts = spawner();
    ts.spec.taskTemplate.promptTemplate = '{{.Title}} — {{.Context.guide}}';
    expect(buildSpawnedTask(ts, issue, { context: { guide: 'be brief' } }).spec.prompt).toBe(
      'Flaky test — be brief',
    );
  });
});

describe('sourceAnnotations', () => {
  it('marks comment reporting with the PerTask mode', () => {
    const ts = spawner({ when: { githubIssues: { reporting: { enabled: true } } } });
    expect(sourceAnnotations(ts, issue)).toEqual({
      'kelos.dev/source-kind': 'issue',
      'kelos.dev/source-number': '42',
      'kelos.dev/github-reporting': 'enabled',
      'kelos.dev/github-comment-mode': 'PerTask',
    });
  });

  it('marks checks reporting of pull requests with the head SHA and the check name', () => {
    const pr: WorkItem = { ...issue, kind: 'PR', number: 7, id: '7', headSHA: 'abc123' };
    const ts = spawner({ when: { githubPullRequests: { reporting: { checks: {} } } } });
    expect(sourceAnnotations(ts, pr)).toEqual({
      'kelos.dev/source-kind': 'pull-request',
      'kelos.dev/source-number': '7',
      'kelos.dev/github-checks': 'enabled',
      'kelos.dev/source-sha': 'abc123',
      'kelos.dev/github-check-name': 'Kelos: fixer',
    });
    ts.spec.when.githubPullRequests = { reporting: { checks: { name: 'Agent' } } };
    expect(sourceAnnotations(ts, pr)['kelos.dev/github-check-name']).toBe('Agent');
  });
});

describe('upstreamRepoOf', () => {
  it.each([
    ['acme/app', 'acme/app'],
    ['https://github.com/acme/app', 'acme/app'],
    ['https://github.example.com/acme/app.git/', 'acme/app'],
    ['git@github.com:acme/app.git', 'acme/app'],
    ['', undefined],
  ])('%s -> %s', (repo, expected) => {
    expect(upstreamRepoOf(spawner({ when: { githubIssues: { repo } } }))).toBe(expected);
  });
});

describe('isSpawnedBy', () => {
  const ts = spawner();
  const ref = (uid: string, controller = true) => ({
    apiVersion: 'v',
    kind: 'K',
    name: 'n',
    uid,
    controller,
  });

  it('follows the controller reference when there is one', () => {
    expect(isSpawnedBy({ metadata: { ownerReferences: [ref('uid-1')] } }, ts)).toBe(true);
    // A namesake deleted and recreated: same label, another UID.
    expect(
      isSpawnedBy(
        { metadata: { labels: { 'kelos.dev/taskspawner': 'fixer' }, ownerReferences: [ref('old')] } },
        ts,
      ),
    ).toBe(false);
  });

  it('falls back to the label for Tasks without a controller', () => {
    expect(isSpawnedBy({ metadata: { labels: { 'kelos.dev/taskspawner': 'fixer' } } }, ts)).toBe(true);
    expect(
      isSpawnedBy(
        { metadata: { labels: { 'kelos.dev/taskspawner': 'fixer' }, ownerReferences: [ref('x', false)] } },
        ts,
      ),
    ).toBe(true);
    expect(isSpawnedBy({ metadata: { labels: { 'kelos.dev/taskspawner': 'other' } } }, ts)).toBe(false);
    expect(isSpawnedBy({ metadata: {} }, ts)).toBe(false);
  });
});
