export { agentConfigRefs, mergeAgentConfigs } from './agentconfig-merge.js';
export { type BuildJobInput, buildJob } from './build-job.js';
export { gitCredentialHelper } from './credential-helper.js';
export { JobBuildError } from './errors.js';
export { type GitHubRepo, isFullCommitSha, parseGitHubRepo } from './git-url.js';
export type * from './kube-types.js';
export { buildMcpServersJson } from './mcp.js';
export {
  agentImage,
  imageRepository,
  isBundledAgentImage,
  type JobBuilderOptions,
  withDefaultTag,
} from './options.js';
export { buildPluginConfigMap, PLUGIN_CONFIGMAP_MAX_BYTES, pluginConfigMapName } from './plugins.js';
export { shellQuote } from './shell.js';
