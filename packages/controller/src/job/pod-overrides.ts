import type { PodOverrides } from '@kelos/shared';
import {
  AGENT_UID,
  BUILTIN_INIT_CONTAINERS,
  RESERVED_NAME_PREFIX,
  VOLUME_NAMES,
} from '@kelos/shared/constants';
import { JobBuildError } from './errors.js';
import type { V1Container, V1PodSecurityContext, V1Volume } from './kube-types.js';

/**
 * Builder-side checks of `podOverrides` (spec §4.5). The CRD's CEL rules cover most of them, but a
 * Job must never be built from a Task that bypassed admission (or a TaskSpawner template).
 */

/** User volumes must not take a Kelos volume name or repeat one another. */
export function checkUserVolumes(volumes: readonly V1Volume[]): void {
  const seen = new Set<string>();
  for (const { name } of volumes) {
    const quoted = JSON.stringify(name);
    if (name.startsWith(RESERVED_NAME_PREFIX)) {
      throw new JobBuildError(
        `podOverrides.volumes: ${quoted} uses the reserved ${JSON.stringify(RESERVED_NAME_PREFIX)} volume name prefix`,
      );
    }
    if (name === VOLUME_NAMES.workspace) {
      throw new JobBuildError(`podOverrides.volumes: ${quoted} is a Kelos-reserved volume name`);
    }
    if (seen.has(name)) throw new JobBuildError(`podOverrides.volumes: duplicate volume name ${quoted}`);
    seen.add(name);
  }
}

function checkContainerList(containers: readonly V1Container[]): void {
  const seen = new Set<string>();
  for (const { name } of containers) {
    const quoted = JSON.stringify(name);
    if (name === '') throw new JobBuildError('podOverrides: container name is empty');
    if (name.startsWith(RESERVED_NAME_PREFIX)) {
      throw new JobBuildError(
        `podOverrides: ${quoted} uses the reserved ${JSON.stringify(RESERVED_NAME_PREFIX)} container name prefix`,
      );
    }
    if (BUILTIN_INIT_CONTAINERS.includes(name)) {
      throw new JobBuildError(`podOverrides: ${quoted} is a Kelos-reserved container name`);
    }
    if (seen.has(name)) throw new JobBuildError(`podOverrides: duplicate container name ${quoted}`);
    seen.add(name);
  }
}

/**
 * Extra containers and init containers: no reserved names, no duplicates within a list, and no
 * name in both lists (a pod's container names are unique across both).
 */
export function checkExtraContainers(overrides: PodOverrides): void {
  const extra = overrides.extraContainers ?? [];
  const extraInit = overrides.extraInitContainers ?? [];
  checkContainerList(extra);
  checkContainerList(extraInit);
  const extraNames = new Set(extra.map((c) => c.name));
  const both = extraInit.find((c) => extraNames.has(c.name));
  if (both) {
    throw new JobBuildError(
      `podOverrides: container name ${JSON.stringify(both.name)} appears in both extraContainers and extraInitContainers`,
    );
  }
}

/**
 * The pod security context: `{fsGroup: 61100}` with a workspace so the agent user can write the
 * volumes; a user context replaces it but keeps that fsGroup unless it sets its own.
 */
export function podSecurityContext(
  hasWorkspace: boolean,
  override: V1PodSecurityContext | undefined,
): V1PodSecurityContext | undefined {
  const fsGroup = hasWorkspace ? { fsGroup: AGENT_UID } : undefined;
  if (!override) return fsGroup;
  return override.fsGroup == null && fsGroup ? { ...override, ...fsGroup } : { ...override };
}
