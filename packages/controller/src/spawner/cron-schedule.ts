import { Cron } from 'croner';

/** A five-field schedule as the Go implementation reads it, able to say when it next fires. */
export interface CronSchedule {
  readonly schedule: string;
  /** The first firing strictly after `after`, at a whole minute. */
  next(after: Date): Date | undefined;
}

export class CronScheduleError extends Error {
  override readonly name = 'CronScheduleError';
}

interface Field {
  name: string;
  min: number;
  max: number;
  names?: Readonly<Record<string, number>>;
}

const MONTHS = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const DAYS = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 6, names: DAYS },
];

function parseInt10(expr: string): number {
  if (!/^[-+]?\d+$/.test(expr)) throw new CronScheduleError(`failed to parse int from ${expr}`);
  const n = Number(expr);
  if (n < 0) throw new CronScheduleError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

const intOrName = (expr: string, field: Field): number =>
  field.names?.[expr.toLowerCase()] ?? parseInt10(expr);

/**
 * One comma-separated part of a field, as robfig/cron's getRange reads it: `*` or `?`, `N`, `N-M`, each
 * with an optional `/step` (`N/step` meaning `N-max/step`). Returns its values and whether it is a
 * wildcard, which decides how day-of-month and day-of-week combine.
 */
function parsePart(expr: string, field: Field): { values: number[]; star: boolean } {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = (rangeAndStep[0] ?? '').split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = field.min;
    end = field.max;
    star = true;
  } else {
    start = intOrName(lowAndHigh[0] ?? '', field);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = intOrName(lowAndHigh[1] ?? '', field);
    else throw new CronScheduleError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseInt10(rangeAndStep[1] ?? '');
    if (lowAndHigh.length === 1) end = field.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    throw new CronScheduleError(`too many slashes: ${expr}`);
  }
  if (start < field.min)
    throw new CronScheduleError(`beginning of range (${start}) below minimum (${field.min}): ${expr}`);
  if (end > field.max)
    throw new CronScheduleError(`end of range (${end}) above maximum (${field.max}): ${expr}`);
  if (start > end)
    throw new CronScheduleError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronScheduleError(`step of range should be a positive number: ${expr}`);
  const values: number[] = [];
  for (let v = start; v <= end; v += step) values.push(v);
  return { values, star };
}

/** A field as croner should read it: `*` when robfig/cron sees a wildcard, else the explicit values. */
function canonicalField(text: string, field: Field): string {
  const values = new Set<number>();
  let star = false;
  for (const part of text.split(',')) {
    const parsed = parsePart(part, field);
    star ||= parsed.star;
    for (const v of parsed.values) values.add(v);
  }
  return star ? '*' : [...values].sort((a, b) => a - b).join(',');
}

/** `CRON_TZ=Zone ` or `TZ=Zone ` before the fields, as robfig/cron accepts. */
function splitTimeZone(schedule: string): { timezone: string | undefined; fields: string } {
  const match = /^(?:CRON_TZ|TZ)=(\S*)\s(.*)$/s.exec(schedule);
  return match
    ? { timezone: match[1], fields: (match[2] ?? '').trim() }
    : { timezone: undefined, fields: schedule };
}

/**
 * Parses a `when.cron.schedule` the way the Go implementation does (robfig/cron with minute, hour,
 * day-of-month, month and day-of-week, no descriptors, no seconds), in UTC unless a `CRON_TZ=`/`TZ=`
 * prefix names a zone. The fields are read here, with robfig's rules and messages, and handed to croner as
 * explicit values: croner alone would also accept 6 fields, `@hourly`, `L`, `W`, `#` and day-of-week 7,
 * and it reads `*\/1` in a day field as a restriction where robfig reads a wildcard. Like robfig (and Vixie
 * cron), when both day fields are restricted a day matching either one fires.
 * @throws {CronScheduleError} with robfig/cron's message.
 */
export function parseCronSchedule(schedule: string): CronSchedule {
  const { timezone, fields } = splitTimeZone(schedule);
  if (fields.startsWith('@')) throw new CronScheduleError(`parser does not accept descriptors: ${fields}`);
  const parts = fields.split(/\s+/).filter((p) => p !== '');
  if (parts.length !== FIELDS.length) {
    throw new CronScheduleError(`expected exactly 5 fields, found ${parts.length}: [${parts.join(' ')}]`);
  }
  const pattern = parts.map((text, i) => canonicalField(text, FIELDS[i] as Field)).join(' ');
  let cron: Cron;
  try {
    cron = new Cron(pattern, { paused: true, mode: '5-part', domAndDow: false, timezone: timezone || 'UTC' });
  } catch (err) {
    throw new CronScheduleError(err instanceof Error ? err.message : String(err));
  }
  return { schedule, next: (after) => cron.nextRun(after) ?? undefined };
}
