import { cloneJson, getOwn, isObject, type JsonObject, setOwn } from './json.js';

/**
 * RFC 7386 JSON merge patch (`application/merge-patch+json`): objects merge recursively, `null`
 * deletes a key, and every other value (arrays included) replaces the target wholesale. The result
 * is a fresh value; neither input is mutated or shared with it.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return cloneJson(patch);
  const out: JsonObject = isObject(target) ? cloneJson(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete out[key];
    } else {
      setOwn(out, key, applyMergePatch(getOwn(out, key), value));
    }
  }
  return out;
}
