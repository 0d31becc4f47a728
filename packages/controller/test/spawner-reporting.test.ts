/**
 * Status comments (spec §10.3 step 9) with a fake IssueComments: exactly one comment per Task, edited as
 * the Task moves, across restarts and lost annotation writes.
 */
import type { Task } from '@kelos/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusCommentBody, statusCommentMarker } from '../src/spawner/status-comment.js';
import { FakeIssueComments, FakeSource, issueItem, SpawnerHarness } from './helpers/spawner-harness.js';

const h = new SpawnerHarness();
beforeAll(() => h.start());
afterAll(() => h.stop());

const reporting = { when: { githubIssues: { reporting: { enabled: true } } } };

describe('statusCommentBody', () => {
  const task = (status?: Task['status']): Pick<Task, 'metadata' | 'status'> => ({
    metadata: { name: 'fixer-42', namespace: 'team', uid: 'u-1' },
    ...(status && { status }),
  });

  it('says accepted, succeeded (with the pull requests) or failed, and carries the marker', () => {
    expect(statusCommentBody(task(), 'accepted')).toBe(
      '🤖 **Kelos Task Status**\n\nTask `fixer-42` has been **accepted** and is being processed.\n\n<!-- kelos-task-status team/fixer-42 uid=u-1 -->',
    );
    const done = task({
      phase: 'Succeeded',
      outputs: [
        'branch: kelos-task-42',
        'pr: https://github.com/acme/app/pull/7',
        'pr: https://github.com/up/app/pull/9',
      ],
      results: { pr: 'https://github.com/up/app/pull/9' },
    });
    expect(statusCommentBody(done, 'succeeded')).toBe(
      [
        '🤖 **Kelos Task Status**',
        '',
        'Task `fixer-42` has **succeeded**. ✅',
        '',
        'Pull request: https://github.com/acme/app/pull/7',
        'Pull request: https://github.com/up/app/pull/9',
        '',
        '<!-- kelos-task-status team/fixer-42 uid=u-1 -->',
      ].join('\n'),
    );
    expect(statusCommentBody(task(), 'failed')).toContain('Task `fixer-42` has **failed**. ❌');
  });
});

describe('status comment reporting', () => {
  it('posts one comment per Task and edits it as the Task moves, across restarts', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'fixer', reporting);
    const source = new FakeSource();
    source.items = [issueItem(11), issueItem(12)];
    const comments = new FakeIssueComments();
    const spawner = h.spawner(ns, 'fixer', { source, comments });

    await spawner.runOnce();
    // No phase yet: the Task controller has not picked the Tasks up.
    expect(comments.writes()).toBe(0);
    expect(h.task(ns, 'fixer-11')?.metadata.annotations).toMatchObject({
      'kelos.dev/github-reporting': 'enabled',
      'kelos.dev/github-comment-mode': 'PerTask',
    });

    h.setTaskStatus(ns, 'fixer-11', { phase: 'Pending' });
    await spawner.runOnce();
    expect(comments.all(11)).toHaveLength(1);
    expect(comments.all(12)).toHaveLength(0);
    const comment = comments.all(11)[0];
    expect(comment?.body).toContain('has been **accepted**');
    expect(h.task(ns, 'fixer-11')?.metadata.annotations).toMatchObject({
      'kelos.dev/github-comment-id': String(comment?.id),
      'kelos.dev/github-report-phase': 'accepted',
    });

    // Running is still "accepted": nothing to write.
    h.setTaskStatus(ns, 'fixer-11', { phase: 'Running' });
    const writes = comments.writes();
    await spawner.runOnce();
    expect(comments.writes()).toBe(writes);

    // A restarted process edits the same comment.
    h.setTaskStatus(ns, 'fixer-11', {
      phase: 'Succeeded',
      completionTime: '2026-01-01T00:00:00Z',
      outputs: ['pr: https://github.com/acme/app/pull/77'],
    });
    const restarted = h.spawner(ns, 'fixer', { source, comments });
    await restarted.runOnce();
    expect(comments.all(11)).toHaveLength(1);
    expect(comments.all(11)[0]?.body).toContain(
      'has **succeeded**. ✅\n\nPull request: https://github.com/acme/app/pull/77',
    );
    expect(h.task(ns, 'fixer-11')?.metadata.annotations?.['kelos.dev/github-report-phase']).toBe('succeeded');

    h.setTaskStatus(ns, 'fixer-12', { phase: 'Failed', completionTime: '2026-01-01T00:00:00Z' });
    await restarted.runOnce();
    await restarted.runOnce();
    expect(comments.all(12)).toHaveLength(1);
    expect(comments.all(12)[0]?.body).toContain('has **failed**. ❌');
    expect(comments.calls.filter((c) => c.op === 'create')).toHaveLength(2);
  });

  it('finds its comment by the marker when the annotations were lost, instead of posting another', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'fixer', reporting);
    const source = new FakeSource();
    source.items = [issueItem(21)];
    const comments = new FakeIssueComments();
    const spawner = h.spawner(ns, 'fixer', { source, comments });
    await spawner.runOnce();
    const task = h.task(ns, 'fixer-21') as Task;
    // A comment that quotes the marker, written by someone else, must not be taken over.
    comments.add(21, `quoting: ${statusCommentMarker(task)}`, 'a-human');
    // The bot posted before crashing, so the Task never recorded the comment.
    const posted = comments.add(21, statusCommentBody(task, 'accepted'), 'KELOS-BOT[bot]');
    h.setTaskStatus(ns, 'fixer-21', { phase: 'Running' });

    await spawner.runOnce();
    expect(comments.calls.filter((c) => c.op === 'create')).toHaveLength(0);
    expect(h.task(ns, 'fixer-21')?.metadata.annotations).toMatchObject({
      'kelos.dev/github-comment-id': String(posted.id),
      'kelos.dev/github-report-phase': 'accepted',
    });

    h.setTaskStatus(ns, 'fixer-21', { phase: 'Succeeded', completionTime: '2026-01-01T00:00:00Z' });
    await spawner.runOnce();
    expect(comments.all(21).map((c) => c.user)).toEqual(['a-human', 'KELOS-BOT[bot]']);
    expect(comments.all(21)[0]?.body).toMatch(/^quoting: /);
    expect(comments.all(21)[1]?.body).toContain('has **succeeded**');
  });

  it('posts a new comment when its recorded one was deleted on GitHub', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'fixer', reporting);
    const source = new FakeSource();
    source.items = [issueItem(31)];
    const comments = new FakeIssueComments();
    const spawner = h.spawner(ns, 'fixer', { source, comments });
    await spawner.runOnce();
    h.setTaskStatus(ns, 'fixer-31', { phase: 'Pending' });
    await spawner.runOnce();
    comments.comments.set(31, []);
    h.setTaskStatus(ns, 'fixer-31', { phase: 'Failed', completionTime: '2026-01-01T00:00:00Z' });
    await spawner.runOnce();
    expect(comments.all(31)).toHaveLength(1);
    expect(comments.all(31)[0]?.body).toContain('has **failed**');
    expect(h.task(ns, 'fixer-31')?.metadata.annotations?.['kelos.dev/github-comment-id']).toBe(
      String(comments.all(31)[0]?.id),
    );
  });

  it('gives a retriggered Task (same name, new UID) a comment of its own', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'fixer', reporting);
    const source = new FakeSource();
    source.items = [issueItem(41)];
    const comments = new FakeIssueComments();
    const spawner = h.spawner(ns, 'fixer', { source, comments });
    await spawner.runOnce();
    h.setTaskStatus(ns, 'fixer-41', { phase: 'Succeeded', completionTime: '2026-01-01T00:00:00Z' });
    await spawner.runOnce();
    source.items = [issueItem(41, { triggerTime: new Date('2026-01-02T00:00:00Z') })];
    await spawner.runOnce();
    h.setTaskStatus(ns, 'fixer-41', { phase: 'Pending' });
    await spawner.runOnce();
    expect(comments.all(41).map((c) => c.body.split('\n')[2])).toEqual([
      'Task `fixer-41` has **succeeded**. ✅',
      'Task `fixer-41` has been **accepted** and is being processed.',
    ]);
  });

  it('fails the run when reporting is on but the spawner cannot write to GitHub', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'fixer', reporting);
    const source = new FakeSource();
    await expect(h.spawner(ns, 'fixer', { source }).runOnce()).rejects.toThrow(
      'GitHub reporting is enabled but the spawner has no GitHub credentials',
    );
  });
});
