import { OUTPUTS_END_MARKER, OUTPUTS_START_MARKER } from '../constants/markers.js';

/**
 * The `key: value` lines of the last output block in an agent log (spec §6.1): the last END
 * marker and the last START marker before it. Works on the raw text with lastIndexOf, so a
 * single multi-megabyte NDJSON line before the block costs one linear scan and no splitting.
 * Returns undefined when there is no complete block or it holds no lines.
 */
export function parseOutputs(log: string): string[] | undefined {
  const end = log.lastIndexOf(OUTPUTS_END_MARKER);
  if (end < 0) return undefined;
  const start = log.lastIndexOf(OUTPUTS_START_MARKER, end);
  if (start < 0) return undefined;
  const lines = log
    .slice(start + OUTPUTS_START_MARKER.length, end)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return lines.length > 0 ? lines : undefined;
}

/**
 * Output lines as a map: each line splits at its first `": "`; lines without one, or with an
 * empty key, are skipped; a later duplicate key wins.
 */
export function resultsFromOutputs(
  outputs: readonly string[] | undefined,
): Record<string, string> | undefined {
  if (!outputs) return undefined;
  const results: Record<string, string> = {};
  let found = false;
  for (const line of outputs) {
    const at = line.indexOf(': ');
    if (at <= 0) continue;
    results[line.slice(0, at)] = line.slice(at + 2);
    found = true;
  }
  return found ? results : undefined;
}

/** The marker block an agent prints last, for images that write it themselves. */
export function formatOutputBlock(lines: readonly string[]): string {
  return `${OUTPUTS_START_MARKER}\n${lines.map((line) => `${line}\n`).join('')}${OUTPUTS_END_MARKER}\n`;
}
