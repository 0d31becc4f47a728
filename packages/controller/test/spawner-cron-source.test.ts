/**
 * The cron source (spec §10.4): robfig/cron's five-field grammar and day semantics on top of croner, and
 * one work item per tick since the watermark, with fixed clocks.
 */
import type { TaskSpawner } from '@kelos/shared';
import { describe, expect, it } from 'vitest';
import { CronScheduleError, parseCronSchedule } from '../src/spawner/cron-schedule.js';
import {
  cronSource,
  cronTickId,
  cronTicks,
  cronWatermark,
  MAX_CRON_TICKS,
} from '../src/spawner/cron-source.js';

/** The next `n` firings after `from`, as ISO strings. */
function firings(schedule: string, from: string, n: number): string[] {
  const parsed = parseCronSchedule(schedule);
  const out: string[] = [];
  let at = new Date(from);
  for (let i = 0; i < n; i++) {
    const next = parsed.next(at);
    if (!next) break;
    out.push(next.toISOString().replace('.000Z', 'Z'));
    at = next;
  }
  return out;
}

describe('parseCronSchedule', () => {
  it('fires strictly after the given time, at whole minutes', () => {
    expect(firings('0 * * * *', '2026-01-01T10:00:00Z', 2)).toEqual([
      '2026-01-01T11:00:00Z',
      '2026-01-01T12:00:00Z',
    ]);
    expect(firings('* * * * *', '2026-01-01T10:00:30.500Z', 1)).toEqual(['2026-01-01T10:01:00Z']);
  });

  it('reads ranges, lists, steps, N/step as N-max/step, and names', () => {
    expect(firings('5/20 9-10 * * *', '2026-01-01T00:00:00Z', 4)).toEqual([
      '2026-01-01T09:05:00Z',
      '2026-01-01T09:25:00Z',
      '2026-01-01T09:45:00Z',
      '2026-01-01T10:05:00Z',
    ]);
    expect(firings('0 9 * JAN,feb MON-wed', '2026-02-27T00:00:00Z', 2)).toEqual([
      // Monday to Wednesday of January and February only: next in 2027.
      '2027-01-04T09:00:00Z',
      '2027-01-05T09:00:00Z',
    ]);
  });

  it('fires on either day field when both are restricted (OR), on the other alone when one is a wildcard', () => {
    // 2026-01-01 is a Thursday; Mondays in January 2026: 5, 12, 19, 26.
    expect(firings('0 0 1,15 * MON', '2026-01-01T00:00:00Z', 5)).toEqual([
      '2026-01-05T00:00:00Z',
      '2026-01-12T00:00:00Z',
      '2026-01-15T00:00:00Z',
      '2026-01-19T00:00:00Z',
      '2026-01-26T00:00:00Z',
    ]);
    expect(firings('0 0 * * MON', '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-01-05T00:00:00Z',
      '2026-01-12T00:00:00Z',
    ]);
    expect(firings('0 0 ? * MON', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-05T00:00:00Z']);
    expect(firings('0 0 15 * *', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-15T00:00:00Z']);
  });

  it('reads */1 as a wildcard and */2 as a restriction in the day fields, as robfig does', () => {
    // Day-of-week */1 is a wildcard: only the 15th fires.
    expect(firings('0 0 15 * */1', '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-01-15T00:00:00Z',
      '2026-02-15T00:00:00Z',
    ]);
    // Day-of-week */2 (Sun, Tue, Thu, Sat) is a restriction: OR with the 15th (a Thursday anyway) and the 16th.
    expect(firings('0 0 16 * */2', '2026-01-13T00:00:00Z', 3)).toEqual([
      '2026-01-15T00:00:00Z',
      '2026-01-16T00:00:00Z',
      '2026-01-17T00:00:00Z',
    ]);
  });

  it('honours a CRON_TZ= or TZ= prefix', () => {
    expect(firings('CRON_TZ=Asia/Tokyo 0 9 * * *', '2026-01-01T00:00:00Z', 1)).toEqual([
      '2026-01-02T00:00:00Z',
    ]);
    expect(firings('TZ=America/New_York 0 9 * * *', '2026-01-01T00:00:00Z', 1)).toEqual([
      '2026-01-01T14:00:00Z',
    ]);
  });

  it.each([
    ['0 0 0 1 * *', 'expected exactly 5 fields, found 6: [0 0 0 1 * *]'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['@hourly', 'parser does not accept descriptors: @hourly'],
    ['0 0 * * 7', 'end of range (7) above maximum (6): 7'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['0 0 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['0 0 L * *', 'failed to parse int from L'],
    ['0 0 * * 5#2', 'failed to parse int from 5#2'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['*/2/3 * * * *', 'too many slashes: */2/3'],
    ['0 JAN * * *', 'failed to parse int from JAN'],
  ])('refuses %j: %s', (schedule, message) => {
    expect(() => parseCronSchedule(schedule)).toThrow(CronScheduleError);
    expect(() => parseCronSchedule(schedule)).toThrow(message);
  });
});

describe('cronTicks', () => {
  const every15 = parseCronSchedule('*/15 * * * *');

  it('emits one item per tick in (since, now], oldest first', () => {
    const items = cronTicks(every15, new Date('2026-03-04T10:00:00Z'), new Date('2026-03-04T10:45:00Z'));
    expect(items.map((i) => i.id)).toEqual(['20260304-1015', '20260304-1030', '20260304-1045']);
    expect(items[0]).toEqual({
      id: '20260304-1015',
      number: 0,
      title: '2026-03-04T10:15:00Z',
      body: '',
      url: '',
      labels: [],
      comments: '',
      kind: '',
      time: '2026-03-04T10:15:00Z',
      schedule: '*/15 * * * *',
    });
  });

  it('emits nothing before the first tick', () => {
    expect(cronTicks(every15, new Date('2026-03-04T10:00:00Z'), new Date('2026-03-04T10:14:59Z'))).toEqual(
      [],
    );
  });

  it('stops at 1000 ticks, the oldest ones', () => {
    const everyMinute = parseCronSchedule('* * * * *');
    const items = cronTicks(everyMinute, new Date('2026-01-01T00:00:00Z'), new Date('2026-02-01T00:00:00Z'));
    expect(items).toHaveLength(MAX_CRON_TICKS);
    expect(items[0]?.id).toBe('20260101-0001');
    expect(items.at(-1)?.id).toBe('20260101-1640');
  });

  it('formats IDs in UTC as Go’s 20060102-1504', () => {
    expect(cronTickId(new Date('2026-12-31T23:59:00Z'))).toBe('20261231-2359');
  });
});

describe('cronSource', () => {
  const spawner = (status?: TaskSpawner['status'], schedule = '0 * * * *'): TaskSpawner => ({
    apiVersion: 'kelos.dev/v1alpha1',
    kind: 'TaskSpawner',
    metadata: { name: 'nightly', creationTimestamp: '2026-05-01T07:30:00Z' },
    spec: { when: { cron: { schedule } }, taskTemplate: { type: 'codex', credentials: { type: 'none' } } },
    ...(status && { status }),
  });
  const now = new Date('2026-05-01T10:10:00Z');

  it('starts from creationTimestamp, then from lastDiscoveryTime', async () => {
    expect(cronWatermark(spawner())).toEqual(new Date('2026-05-01T07:30:00Z'));
    expect((await cronSource(spawner(), now).discover()).map((i) => i.id)).toEqual([
      '20260501-0800',
      '20260501-0900',
      '20260501-1000',
    ]);
    const later = spawner({ lastDiscoveryTime: '2026-05-01T09:00:00Z' });
    expect((await cronSource(later, now).discover()).map((i) => i.id)).toEqual(['20260501-1000']);
  });

  it('names the schedule in its error', async () => {
    await expect(cronSource(spawner(undefined, 'every hour'), now).discover()).rejects.toThrow(
      'parsing cron schedule "every hour": expected exactly 5 fields, found 2: [every hour]',
    );
  });
});
