import type { TaskSpawner, WorkItem, WorkItemSource } from '@kelos/shared';
import { type CronSchedule, parseCronSchedule } from './cron-schedule.js';

/** At most this many ticks per cycle, however far behind the watermark is (§10.4). */
export const MAX_CRON_TICKS = 1000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Go's `t.Format("20060102-1504")` of a UTC time: the tick's ID and so its Task's name suffix. */
export function cronTickId(tick: Date): string {
  return `${tick.getUTCFullYear()}${pad(tick.getUTCMonth() + 1)}${pad(tick.getUTCDate())}-${pad(tick.getUTCHours())}${pad(tick.getUTCMinutes())}`;
}

/** Go's `time.RFC3339` of a UTC time (whole seconds, `Z`). */
export function rfc3339(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** One work item per firing of the schedule in `(since, now]`, oldest first, at most `max`. */
export function cronTicks(schedule: CronSchedule, since: Date, now: Date, max = MAX_CRON_TICKS): WorkItem[] {
  const items: WorkItem[] = [];
  for (
    let next = schedule.next(since);
    next && next <= now && items.length < max;
    next = schedule.next(next)
  ) {
    const time = rfc3339(next);
    items.push({
      id: cronTickId(next),
      number: 0,
      title: time,
      body: '',
      url: '',
      labels: [],
      comments: '',
      kind: '',
      time,
      schedule: schedule.schedule,
    });
  }
  return items;
}

/**
 * Where the cron source resumes: the end of the last successful cycle, or the TaskSpawner's creation for
 * its first one. A failed cycle leaves lastDiscoveryTime alone, so its ticks come again.
 */
export function cronWatermark(spawner: TaskSpawner): Date {
  const text = spawner.status?.lastDiscoveryTime ?? spawner.metadata.creationTimestamp;
  const time = text ? new Date(text) : undefined;
  if (!time || Number.isNaN(time.getTime())) {
    throw new Error(
      `TaskSpawner ${spawner.metadata.name} has neither lastDiscoveryTime nor creationTimestamp`,
    );
  }
  return time;
}

/** The cron source of a TaskSpawner (§10.4): ticks since its watermark up to `now`. */
export function cronSource(spawner: TaskSpawner, now: Date): WorkItemSource {
  return {
    discover: async () => {
      const schedule = spawner.spec.when.cron?.schedule ?? '';
      let parsed: CronSchedule;
      try {
        parsed = parseCronSchedule(schedule);
      } catch (err) {
        throw new Error(
          `parsing cron schedule "${schedule}": ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      return cronTicks(parsed, cronWatermark(spawner), now);
    },
  };
}
