import { parse } from 'yaml';
import { CliError } from '../errors.js';
import { readTextFile } from '../util/content.js';
import { expandHome } from '../util/paths.js';

/**
 * The template values of `run --from` (cli spec §5.1 `--values`): a YAML or JSON object from a file, or
 * from stdin given `-` (`stdin` is its text then). An empty file is no values.
 */
export function parseValuesFile(path: string, stdin?: string): Record<string, unknown> {
  const source = path === '-' ? 'stdin' : path;
  const text = path === '-' ? (stdin ?? '') : readTextFile(expandHome(path), 'template values');
  let values: unknown;
  try {
    values = parse(text);
  } catch (err) {
    throw new CliError(`parsing template values from ${source}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (values === null || values === undefined) return {};
  if (typeof values !== 'object' || Array.isArray(values)) {
    throw new CliError(
      `template values in ${source} must be a YAML or JSON object of names to values`,
      'For example: Title: Fix the login page',
    );
  }
  return values as Record<string, unknown>;
}
