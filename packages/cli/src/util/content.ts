import { readFileSync } from 'node:fs';
import { CliError } from '../errors.js';
import { expandHome } from './paths.js';

const FS_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
};

/** Reads a text file, failing with one line that names the file and what it was for. */
export function readTextFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new CliError(`reading ${what} from ${path}: ${FS_ERRORS[code] ?? (err as Error).message}`);
  }
}

/**
 * The `@file` convention of the config file and of content flags (cli spec §17 note 3): `@path` reads
 * the file (`~` expanded) with trailing newlines trimmed, anything else is the value itself.
 */
export function resolveContent(value: string, what: string): string {
  if (!value.startsWith('@')) return value;
  return readTextFile(expandHome(value.slice(1)), what).replace(/[\r\n]+$/, '');
}
