import type { JsonObject } from './json.js';

/** What the agent's stream says about the run; every field is absent when the stream did not say. */
export interface Usage {
  /** JSON number text, e.g. `0.0123`. */
  costUsd?: string;
  inputTokens?: string;
  outputTokens?: string;
  /** The final assistant text, not yet encoded. */
  response?: string;
  /** Set when the agent reported that it did not complete normally (claude-code only). */
  failure?: string;
}

/**
 * Reads one agent's stream-format events, one parsed line at a time, and keeps only what the
 * usage outputs need (a last result, running sums), so its memory does not grow with the stream.
 */
export interface UsageExtractor {
  /**
   * Top-level `type` values of the lines this extractor reads. A line too long to parse as a
   * matter of course is still parsed when its type is one of these (see stream.ts).
   */
  readonly neededTypes: ReadonlySet<string>;
  add(event: JsonObject): void;
  finish(): Usage;
}

/**
 * Sums integer token counts given as JSON number text. BigInt, so that no count is rounded;
 * a count that is not a plain integer is ignored rather than making the sum wrong.
 */
export class TokenSum {
  private total = 0n;
  private seen = false;

  add(text: string | undefined): void {
    if (text === undefined || !/^-?\d+$/.test(text)) return;
    this.total += BigInt(text);
    this.seen = true;
  }

  /** The sum, or undefined when no count was seen. */
  value(): string | undefined {
    return this.seen ? this.total.toString() : undefined;
  }
}

/** Keeps the fields that have a value, so a Usage never holds an explicit `undefined`. */
export function definedFields(fields: { [K in keyof Usage]: string | undefined }): Usage {
  const out: Usage = {};
  for (const [key, value] of Object.entries(fields) as [keyof Usage, string | undefined][]) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}
