/** Narrowing helpers for JSON decoded from agent lines, whose shape is never guaranteed. */

export type JsonObject = { [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function obj(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function arr(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** The first of several alternative fields that holds a number (formats rename fields across versions). */
export function firstNum(from: JsonObject | undefined, ...keys: string[]): number | undefined {
  if (!from) return undefined;
  for (const key of keys) {
    const value = num(from[key]);
    if (value !== undefined) return value;
  }
  return undefined;
}
