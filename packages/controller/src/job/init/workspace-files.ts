import { posix } from 'node:path';
import type { WorkspaceFile } from '@kelos/shared';
import { INIT_CONTAINER_NAMES, PATHS } from '@kelos/shared/constants';
import { JobBuildError } from '../errors.js';
import type { V1Container } from '../kube-types.js';
import type { JobBuilderOptions } from '../options.js';
import { shellQuote } from '../shell.js';
import { workspaceMount } from '../volumes.js';
import { gitInitContainer, shellCommand } from './common.js';

/**
 * The cleaned repository-relative path of a workspace file, or an error naming the problem: files
 * are written by a script running in the pod, so a path must not leave `/workspace/repo`.
 */
export function sanitizeWorkspaceFilePath(path: string): string {
  const fail = (problem: string) =>
    new JobBuildError(`invalid workspace file path ${JSON.stringify(path)}: ${problem}`);
  if (path.trim() === '') throw fail('path is empty');
  if (path.includes('\\')) throw fail('path must use forward slashes');
  const clean = posix.normalize(path).replace(/(.)\/+$/, '$1');
  if (clean === '.') throw fail('path resolves to current directory');
  if (clean.startsWith('/')) throw fail('absolute paths are not allowed');
  if (clean === '..' || clean.startsWith('../')) throw fail('path escapes repository root');
  return clean;
}

/**
 * Writes each file from base64, so any content (quotes, newlines, binary-looking text) survives
 * the trip through `sh -c` unchanged.
 */
export function workspaceFilesScript(files: readonly WorkspaceFile[]): string {
  const lines = ['set -eu'];
  for (const file of files) {
    const target = `${PATHS.repo}/${sanitizeWorkspaceFilePath(file.path)}`;
    const content = Buffer.from(file.content, 'utf8').toString('base64');
    lines.push(
      `target=${shellQuote(target)}`,
      'mkdir -p "$(dirname "$target")"',
      `printf '%s' ${shellQuote(content)} | base64 -d > "$target"`,
    );
  }
  return lines.join('\n');
}

/** Init container 4 (spec §4.5): workspace `files`, written after clone and branch checkout. */
export function workspaceFilesContainer(
  files: readonly WorkspaceFile[],
  options: JobBuilderOptions,
): V1Container {
  return gitInitContainer(INIT_CONTAINER_NAMES.workspaceFiles, options, {
    command: shellCommand(workspaceFilesScript(files)),
    volumeMounts: [workspaceMount()],
  });
}
