/**
 * The pure parts of `kelos run --from taskspawner/<name>` (cli spec §5.3): the reference, the name, the
 * template variables, the Task and the values file.
 */
import type { TaskSpawner } from '@kelos/shared';
import { SpawnerTemplateError } from '@kelos/shared/taskspawner';
import { describe, expect, it } from 'vitest';
import {
  buildManualTask,
  manualTaskName,
  manualTemplateVars,
  parseFromRef,
} from '../src/run/from-spawner.js';
import { parseValuesFile } from '../src/run/values-file.js';

const NOW = new Date('2026-05-04T10:20:30.456Z');

function spawner(over: Partial<TaskSpawner['spec']> = {}, name = 'triage'): TaskSpawner {
  return {
    apiVersion: 'kelos.dev/v1alpha1',
    kind: 'TaskSpawner',
    metadata: { name, namespace: 'team', uid: 'uid-1' },
    spec: {
      when: { githubIssues: { repo: 'https://github.com/acme/widgets.git' } },
      taskTemplate: {
        type: 'codex',
        credentials: { type: 'api-key', secretRef: { name: 'codex-key' } },
        promptTemplate: '{{.Kind}} {{.ID}}: {{.Title}} at {{.TriggerTime}}',
      },
      ...over,
    },
  } as TaskSpawner;
}

describe('parseFromRef', () => {
  it.each(['taskspawner/triage', 'taskspawners/triage', 'ts/triage'])('%s names triage', (ref) => {
    expect(parseFromRef(ref)).toBe('triage');
  });

  it.each(['triage', 'task/triage', 'ts/', 'ts/a/b'])('rejects %s', (ref) => {
    expect(() => parseFromRef(ref)).toThrow(`invalid --from "${ref}": expected taskspawner/<name>`);
  });
});

describe('manualTaskName', () => {
  it('is <spawner>-manual-<suffix>', () => {
    expect(manualTaskName('triage', 'bcd42')).toBe('triage-manual-bcd42');
  });

  it('cuts a long spawner name to fit 63 characters, without a trailing - or . at the cut', () => {
    expect(manualTaskName('a'.repeat(70), 'bcd42')).toBe(`${'a'.repeat(50)}-manual-bcd42`);
    const cutAtDash = `${'a'.repeat(48)}-.b${'c'.repeat(10)}`;
    expect(manualTaskName(cutAtDash, 'bcd42')).toBe(`${'a'.repeat(48)}-manual-bcd42`);
  });
});

describe('manualTemplateVars', () => {
  it('has the manual ID, Title, Kind and trigger, which values override', () => {
    expect(manualTemplateVars(spawner(), 'bcd42', NOW, {})).toEqual({
      ID: 'manual-bcd42',
      Title: 'Manual run of TaskSpawner triage',
      Kind: 'Manual',
      TriggerType: 'manual',
      TriggerTime: '2026-05-04T10:20:30Z',
    });
    const vars = manualTemplateVars(spawner(), 'bcd42', NOW, { Title: 'Fix login', Number: 7 });
    expect(vars).toMatchObject({ ID: 'manual-bcd42', Title: 'Fix login', Number: 7 });
  });

  it('gives a cron spawner Time and Schedule, which values cannot override', () => {
    const cron = spawner({ when: { cron: { schedule: '0 3 * * *' } } });
    const vars = manualTemplateVars(cron, 'bcd42', NOW, { Time: 'yesterday', Schedule: 'never', Body: 'b' });
    expect(vars).toMatchObject({ Time: '2026-05-04T10:20:30Z', Schedule: '0 3 * * *', Body: 'b' });
    expect(manualTemplateVars(spawner(), 'bcd42', NOW, {})).not.toHaveProperty('Time');
  });
});

describe('buildManualTask', () => {
  const vars = (s: TaskSpawner) => manualTemplateVars(s, 'bcd42', NOW, {});

  it("renders the spawner's template with its credentials, as a Task no spawner owns", () => {
    const s = spawner({
      taskTemplate: {
        type: 'codex',
        credentials: { type: 'api-key', secretRef: { name: 'codex-key' } },
        promptTemplate: '{{.Kind}} {{.ID}}: {{.Title}} at {{.TriggerTime}}',
        branch: 'kelos/{{.ID}}',
        model: 'gpt-5',
        workspaceRef: { name: 'widgets' },
        metadata: {
          labels: { team: 'core', 'kelos.dev/taskspawner': 'forged' },
          annotations: { note: 'from {{.TriggerType}}' },
        },
      },
    });
    expect(buildManualTask(s, vars(s), { name: 'triage-manual-bcd42', now: NOW })).toEqual({
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'Task',
      metadata: {
        name: 'triage-manual-bcd42',
        namespace: 'team',
        labels: { team: 'core' },
        annotations: {
          note: 'from manual',
          'kelos.dev/created-from-taskspawner': 'triage',
          'kelos.dev/trigger-type': 'manual',
          'kelos.dev/trigger-time': '2026-05-04T10:20:30Z',
        },
      },
      spec: {
        type: 'codex',
        prompt: 'Manual manual-bcd42: Manual run of TaskSpawner triage at 2026-05-04T10:20:30Z',
        credentials: { type: 'api-key', secretRef: { name: 'codex-key' } },
        model: 'gpt-5',
        workspaceRef: { name: 'widgets' },
        branch: 'kelos/manual-bcd42',
        upstreamRepo: 'acme/widgets',
      },
    });
  });

  it("keeps the template's own upstreamRepo, and has none without a source repo", () => {
    const own = spawner();
    own.spec.taskTemplate.upstreamRepo = 'other/repo';
    expect(buildManualTask(own, vars(own), { name: 'n', now: NOW }).spec.upstreamRepo).toBe('other/repo');
    const cron = spawner({ when: { cron: { schedule: '@daily' } } });
    const task = buildManualTask(cron, vars(cron), { name: 'n', now: NOW });
    expect(task.spec).not.toHaveProperty('upstreamRepo');
    expect(task.metadata).not.toHaveProperty('labels');
    expect(task.metadata).not.toHaveProperty('ownerReferences');
  });

  it('fails on a template variable a manual run does not have', () => {
    const s = spawner();
    s.spec.taskTemplate.promptTemplate = 'Fix #{{.Number}}';
    expect(() => buildManualTask(s, vars(s), { name: 'n', now: NOW })).toThrow(SpawnerTemplateError);
    expect(() => buildManualTask(s, vars(s), { name: 'n', now: NOW })).toThrow(
      /^failed to render prompt template: failed to execute template: .*"Number"/,
    );
  });
});

describe('parseValuesFile', () => {
  it('reads a YAML or JSON object from stdin text; empty is no values', () => {
    expect(parseValuesFile('-', 'Title: Fix it\nNumber: 3\n')).toEqual({ Title: 'Fix it', Number: 3 });
    expect(parseValuesFile('-', '{"Body": "b"}')).toEqual({ Body: 'b' });
    expect(parseValuesFile('-', '')).toEqual({});
  });

  it('rejects what is not an object, and a missing file, naming the source', () => {
    expect(() => parseValuesFile('-', '- a\n- b\n')).toThrow(
      'template values in stdin must be a YAML or JSON object of names to values',
    );
    expect(() => parseValuesFile('-', 'a: [')).toThrow(/^parsing template values from stdin: /);
    expect(() => parseValuesFile('/nonexistent/values.yaml')).toThrow(
      'reading template values from /nonexistent/values.yaml: no such file',
    );
  });
});
