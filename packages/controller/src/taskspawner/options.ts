import { withDefaultTag } from '@kelos/shared/images';
import type { ResourceList } from '@kelos/shared/resource-list';

/** The spawner image's repository; its entrypoint is the `kelos-spawner` binary. */
export const DEFAULT_SPAWNER_IMAGE = 'ghcr.io/kelos-dev/kelos-spawner';

/** Identity of every spawner pod, created by the controller in each TaskSpawner namespace (spec §9). */
export const SPAWNER_SERVICE_ACCOUNT = 'kelos-spawner';
/** Installed by `kelos install`; the controller only binds it. */
export const SPAWNER_CLUSTER_ROLE = 'kelos-spawner-role';

export const SPAWNER_CONTAINER = 'spawner';
export const SPAWNER_METRICS_PORT = 8080;

/** Controller settings that shape every spawner workload (the controller's spawner flags, spec §2). */
export interface SpawnerOptions {
  /** `--spawner-image`; default `ghcr.io/kelos-dev/kelos-spawner`. */
  image?: string;
  /** Tag given to the image when it has neither tag nor digest; default `latest`. */
  version?: string;
  imagePullPolicy?: string;
  /** `--spawner-resource-requests` / `--spawner-resource-limits`. */
  resources?: { requests?: ResourceList; limits?: ResourceList };
  /**
   * The controller's `--github-api-base-url`: where GitHub is for Kelos (a proxy, a test server), so the
   * spawner is pointed there too instead of at the API derived from the repository host.
   */
  githubApiBaseUrl?: string;
}

export function spawnerImage(options: SpawnerOptions): string {
  return withDefaultTag(options.image ?? DEFAULT_SPAWNER_IMAGE, options.version ?? 'latest');
}
