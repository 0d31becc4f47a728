/** Repositories of the images Kelos itself ships; agent images come from @kelos/shared's AGENT_TYPE_INFO. */
export const DEFAULT_CONTROLLER_IMAGE = 'ghcr.io/kelos-dev/kelos-controller';
export const DEFAULT_SPAWNER_IMAGE = 'ghcr.io/kelos-dev/kelos-spawner';

/** The default image tag: what a development build of the CLI installs. */
export const DEFAULT_VERSION = 'latest';

/** Docker's tag grammar; a version outside it would yield image references no registry accepts. */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function assertValidTag(version: string): void {
  if (!TAG.test(version)) {
    throw new Error(
      `invalid version "${version}": an image tag has 1-128 letters, digits, '_', '.' or '-' and does not start with '.' or '-'`,
    );
  }
}
