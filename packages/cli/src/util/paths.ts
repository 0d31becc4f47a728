import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Expands a leading `~` or `~/` to the home directory. The shell does not expand `~` inside quotes, in
 * `--flag=~/x`, or in config values, and the reference's `init` wrote a directory literally named `~`
 * (spec README, user-reported bug 9).
 */
export function expandHome(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  return path;
}

/** `~/.kelos/config.yaml` (cli spec §1.2). */
export function defaultConfigPath(): string {
  return join(homedir(), '.kelos', 'config.yaml');
}

/** The config file a command uses: `--config` (with `~` expanded) or the default. */
export function configPath(flag: string | undefined): string {
  return flag ? expandHome(flag) : defaultConfigPath();
}
