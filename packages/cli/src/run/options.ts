import { randomInt } from 'node:crypto';
import { UsageError } from '../errors.js';

/** Kubernetes' `rand.String` alphabet: no vowels (no words) and no easily confused characters. */
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** 5 random characters of that alphabet, the reference's `rand.String(5)`. */
export function randomNameSuffix(): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += NAME_ALPHABET[randomInt(NAME_ALPHABET.length)];
  return suffix;
}

/** `task-<5 random characters>`, the reference's default Task name (cli spec §5.1). */
export function generateTaskName(): string {
  return `task-${randomNameSuffix()}`;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: object;
}

/** `NAME=VALUE`, split at the first `=` (cli spec §5.1). */
export function parseEnvFlag(value: string): EnvVar {
  const at = value.indexOf('=');
  if (at <= 0) throw new UsageError(`invalid --env value "${value}": must be NAME=VALUE`);
  return { name: value.slice(0, at), value: value.slice(at + 1) };
}

/**
 * Config env first, then flags; of vars with one name only the last survives, and survivors keep their
 * relative order, so a flag overrides the config's value of the same name (cli spec §5.2 step 7).
 */
export function mergeEnv(...lists: readonly (readonly EnvVar[])[]): EnvVar[] {
  const all = lists.flat();
  return all.filter((v, i) => !all.slice(i + 1).some((later) => later.name === v.name));
}
