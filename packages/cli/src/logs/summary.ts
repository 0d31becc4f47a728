import { isObject, str } from './json.js';

/** Spec §10: tool summaries are cut to 120 runes plus `...`. */
const SUMMARY_RUNES = 120;

/**
 * Input fields that best describe a tool call, most telling first. One list serves every
 * format: Claude (`file_path`, `command`, …), Gemini (`absolute_path`, `dir_path`), OpenCode
 * (`filePath`) and MCP tools all use some of these, and `pattern` must beat `path` for Grep/Glob,
 * `url` must beat `prompt` for WebFetch, and `description` must beat `prompt` for Task.
 */
const SUMMARY_KEYS = [
  'command',
  'file_path',
  'filePath',
  'notebook_path',
  'pattern',
  'url',
  'query',
  'description',
  'path',
  'absolute_path',
  'dir_path',
  'prompt',
];

/** The summary of a tool call's input, or undefined when no known field is a non-empty string. */
export function toolSummary(input: unknown): string | undefined {
  if (!isObject(input)) return undefined;
  for (const key of SUMMARY_KEYS) {
    const value = str(input[key]);
    if (value) return summarize(value);
  }
  return undefined;
}

/**
 * One line of at most 120 runes (plus `...`) with newlines shown as a literal `\n`, so a
 * multi-line heredoc command stays on the tool line.
 */
export function summarize(text: string): string {
  let line = text.includes('\n') ? text.replaceAll('\r\n', '\n').replaceAll('\n', '\\n') : text;
  // Cheap check first: a string of at most 120 UTF-16 units has at most 120 runes.
  if (line.length > SUMMARY_RUNES) {
    let units = 0;
    let runes = 0;
    for (const rune of line) {
      if (runes === SUMMARY_RUNES) {
        line = `${line.slice(0, units)}...`;
        break;
      }
      units += rune.length;
      runes++;
    }
  }
  return line;
}
