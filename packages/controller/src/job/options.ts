import type { AgentType } from '@kelos/shared';
import { AGENT_TYPE_INFO, GIT_IMAGE, SKILLS_INSTALL_IMAGE } from '@kelos/shared/constants';
import { imageRepository, withDefaultTag } from '@kelos/shared/images';

/** Controller settings that shape every Job (the controller's image flags, spec §2). */
export interface JobBuilderOptions {
  /** Agent image per type; default `ghcr.io/kelos-dev/<type>`. */
  images?: Partial<Record<AgentType, string>>;
  /** Tag given to any configured or default image that has neither tag nor digest; default `latest`. */
  version?: string;
  /** Pull policy of the agent container, for every agent type. */
  imagePullPolicy?: string;
  /** Pull policy per agent type; wins over `imagePullPolicy`. */
  imagePullPolicies?: Partial<Record<AgentType, string>>;
  /** Image of the git init containers; default `alpine/git:v2.47.2`. */
  gitImage?: string;
  /** Image of the skills-install init container; default `node:22.14.0-alpine`. */
  skillsInstallImage?: string;
}

const DEFAULT_VERSION = 'latest';

const BUNDLED_REPOSITORIES: ReadonlySet<string> = new Set(
  Object.values(AGENT_TYPE_INFO).map((info) => info.defaultImage),
);

/**
 * Bundled images ship tini and run the entrypoint under it (spec §4.3); custom images need not
 * have it. Decided by repository so a pinned tag or digest of a bundled image still gets tini,
 * while a mirror or a look-alike repository does not.
 */
export function isBundledAgentImage(image: string): boolean {
  return BUNDLED_REPOSITORIES.has(imageRepository(image));
}

/** The agent image: `spec.image` verbatim, else the configured or default image with the version tag. */
export function agentImage(
  type: AgentType,
  specImage: string | undefined,
  options: JobBuilderOptions,
): string {
  if (specImage) return specImage;
  const configured = options.images?.[type] ?? AGENT_TYPE_INFO[type].defaultImage;
  return withDefaultTag(configured, options.version ?? DEFAULT_VERSION);
}

export function agentImagePullPolicy(type: AgentType, options: JobBuilderOptions): string | undefined {
  return options.imagePullPolicies?.[type] ?? options.imagePullPolicy;
}

export function gitImage(options: JobBuilderOptions): string {
  return options.gitImage ?? GIT_IMAGE;
}

export function skillsInstallImage(options: JobBuilderOptions): string {
  return options.skillsInstallImage ?? SKILLS_INSTALL_IMAGE;
}
