import { AGENT_TYPE_INFO, AGENT_TYPES, type AgentType, withDefaultTag } from '@kelos/shared';
import { parseResourceList } from '@kelos/shared/resource-list';
import type { V1ResourceRequirements } from '@kubernetes/client-node';
import {
  assertValidTag,
  DEFAULT_CONTROLLER_IMAGE,
  DEFAULT_SPAWNER_IMAGE,
  DEFAULT_VERSION,
} from './images.js';

export const IMAGE_PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;
export type ImagePullPolicy = (typeof IMAGE_PULL_POLICIES)[number];

/** What `kelos install` can vary. Empty strings count as unset, so CLI flags can pass their defaults through. */
export interface InstallOptions {
  /** Tag for every image given without tag or digest, and the controller's `--version`; default `latest`. */
  version?: string;
  /** Pull policy of the controller container and of every image the controller runs. */
  imagePullPolicy?: ImagePullPolicy;
  /** Default `ghcr.io/kelos-dev/kelos-controller`. */
  controllerImage?: string;
  /** Default `ghcr.io/kelos-dev/kelos-spawner`. */
  spawnerImage?: string;
  /** Agent image per type; default `ghcr.io/kelos-dev/<type>`. */
  agentImages?: Partial<Record<AgentType, string>>;
  /** Passed to the controller as `--github-api-base-url`, for GitHub Enterprise or a test server. */
  githubApiBaseUrl?: string;
  /** Extra controller flags, appended after the ones install sets (so a repeated flag overrides). */
  controllerArgs?: readonly string[];
  /** Resources of the controller container; replaces the defaults entirely. */
  controllerResources?: V1ResourceRequirements;
  /**
   * Requests and limits of every spawner container, as the controller's `--spawner-resource-requests`
   * and `--spawner-resource-limits` take them: `cpu=250m,memory=512Mi` (cli spec §4.1).
   */
  spawnerResourceRequests?: string;
  spawnerResourceLimits?: string;
}

/** An image the controller is told about through `--<flag>=<image>` (api-controller §2). */
export interface ManagedImage {
  flag: string;
  image: string;
}

/** The options with defaults applied and every image tagged. */
export interface ResolvedInstallOptions {
  version: string;
  imagePullPolicy?: ImagePullPolicy;
  controllerImage: string;
  /** Agent images in AGENT_TYPES order, then the spawner image. */
  managedImages: ManagedImage[];
  githubApiBaseUrl?: string;
  controllerArgs: string[];
  controllerResources?: V1ResourceRequirements;
  /** The spawner resource flags, checked and in canonical form (`name=quantity` joined by `,`). */
  spawnerResourceRequests?: string;
  spawnerResourceLimits?: string;
}

export function resolveInstallOptions(options: InstallOptions = {}): ResolvedInstallOptions {
  const version = options.version || DEFAULT_VERSION;
  assertValidTag(version);
  const tagged = (image: string | undefined, fallback: string) => withDefaultTag(image || fallback, version);
  const managedImages: ManagedImage[] = AGENT_TYPES.map((type) => ({
    flag: `${type}-image`,
    image: tagged(options.agentImages?.[type], AGENT_TYPE_INFO[type].defaultImage),
  }));
  managedImages.push({ flag: 'spawner-image', image: tagged(options.spawnerImage, DEFAULT_SPAWNER_IMAGE) });
  const resolved: ResolvedInstallOptions = {
    version,
    controllerImage: tagged(options.controllerImage, DEFAULT_CONTROLLER_IMAGE),
    managedImages,
    controllerArgs: [...(options.controllerArgs ?? [])],
  };
  if (options.imagePullPolicy) resolved.imagePullPolicy = options.imagePullPolicy;
  if (options.githubApiBaseUrl) resolved.githubApiBaseUrl = checkedUrl(options.githubApiBaseUrl);
  // A copy, so that the manifests built from it share nothing with the caller.
  if (options.controllerResources)
    resolved.controllerResources = structuredClone(options.controllerResources);
  const requests = checkedResourceList('spawner-resource-requests', options.spawnerResourceRequests);
  const limits = checkedResourceList('spawner-resource-limits', options.spawnerResourceLimits);
  if (requests) resolved.spawnerResourceRequests = requests;
  if (limits) resolved.spawnerResourceLimits = limits;
  return resolved;
}

/**
 * Checked with the controller's own parser, so that a typo fails the install rather than the controller's
 * start; undefined when empty.
 */
function checkedResourceList(flag: string, text: string | undefined): string | undefined {
  if (!text) return undefined;
  let list: Record<string, string> | undefined;
  try {
    list = parseResourceList(text);
  } catch (err) {
    throw new Error(`--${flag} "${text}": ${(err as Error).message}`);
  }
  return (
    list &&
    Object.entries(list)
      .map(([name, quantity]) => `${name}=${quantity}`)
      .join(',')
  );
}

/** Fails at install time rather than in a controller crash loop. */
function checkedUrl(url: string): string {
  const protocol = URL.canParse(url) ? new URL(url).protocol : '';
  if (protocol !== 'https:' && protocol !== 'http:') {
    throw new Error(`invalid GitHub API base URL "${url}": expected an http(s) URL`);
  }
  return url;
}
