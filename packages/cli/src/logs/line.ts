import {
  OUTPUTS_END_MARKER,
  OUTPUTS_START_MARKER,
  SETUP_COMMAND_DONE_MARKER,
  SETUP_COMMAND_FAILED_MARKER,
  SETUP_COMMAND_START_MARKER,
} from '@kelos/shared';
import type { LogEvent } from './events.js';
import { isObject, type JsonObject } from './json.js';

/**
 * Maps one decoded JSON event of a format to log events, or returns undefined when the event's
 * type is not one the format defines (the line is then shown raw).
 */
export type EventHandler = (event: JsonObject, type: string) => LogEvent[] | undefined;

const MARKER_PREFIX = '---KELOS_';

/**
 * What every format shares: empty lines mean nothing, Kelos marker lines are recognised, and
 * anything that is not a JSON object with a `type` the format knows is shown as it is. Never
 * throws: a log may hold anything (setup output, stack traces, a truncated last line).
 */
export function parseLineWith(line: string, handle: EventHandler): LogEvent[] {
  if (line.length === 0) return [];
  const first = line.charCodeAt(0);
  // A tab, space or carriage return first is rare; only then is trimming worth a copy.
  const text = first <= 0x20 ? line.trim() : line;
  if (text.length === 0) return [];
  const head = text.charCodeAt(0);
  if (head === 0x7b /* { */) {
    const event = decode(text);
    const type = event?.type;
    if (event && typeof type === 'string') {
      const events = handle(event, type);
      if (events) return events;
    }
  } else if (head === 0x2d /* - */ && text.startsWith(MARKER_PREFIX)) {
    const marker = parseMarker(text.trimEnd());
    if (marker) return [marker];
  }
  return [{ type: 'raw', line }];
}

function decode(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function parseMarker(text: string): LogEvent | undefined {
  switch (text) {
    case OUTPUTS_START_MARKER:
      return { type: 'outputs_start' };
    case OUTPUTS_END_MARKER:
      return { type: 'outputs_end' };
    case SETUP_COMMAND_START_MARKER:
      return { type: 'setup', phase: 'start' };
    case SETUP_COMMAND_DONE_MARKER:
      return { type: 'setup', phase: 'done' };
  }
  // The image contract prints `---KELOS_SETUP_COMMAND_FAILED--- exit=<n>`.
  if (text.startsWith(SETUP_COMMAND_FAILED_MARKER)) {
    const rest = text.slice(SETUP_COMMAND_FAILED_MARKER.length).trim();
    if (rest === '') return { type: 'setup', phase: 'failed' };
    if (rest.startsWith('exit=')) {
      const code = Number(rest.slice('exit='.length));
      if (Number.isInteger(code)) return { type: 'setup', phase: 'failed', exitCode: code };
    }
  }
  return undefined;
}
