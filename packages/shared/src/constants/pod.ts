/** Names and paths of the Job/Pod that a Task becomes (spec §4). */
export const AGENT_CONTAINER_NAME = 'kelos-agent';

/** Containers and volumes whose names start with this prefix are reserved for Kelos. */
export const RESERVED_NAME_PREFIX = 'kelos-';

export const INIT_CONTAINER_NAMES = {
  gitClone: 'git-clone',
  remoteSetup: 'remote-setup',
  branchSetup: 'branch-setup',
  workspaceFiles: 'workspace-files',
  pluginSetup: 'plugin-setup',
  skillsInstall: 'skills-install',
} as const;

/** Built-in init container names, in the order they run. */
export const BUILTIN_INIT_CONTAINERS: readonly string[] = Object.values(INIT_CONTAINER_NAMES);

export const VOLUME_NAMES = {
  workspace: 'workspace',
  githubToken: 'kelos-github-token',
  plugin: 'kelos-plugin',
  pluginSource: 'kelos-plugin-src',
} as const;

export const PATHS = {
  workspace: '/workspace',
  repo: '/workspace/repo',
  ghConfigDir: '/workspace/.gh-config',
  githubTokenDir: '/kelos/github-token',
  githubTokenFile: '/kelos/github-token/GITHUB_TOKEN',
  pluginDir: '/kelos/plugin',
  pluginSourceDir: '/kelos-plugin-src',
  entrypoint: '/kelos_entrypoint.sh',
  tini: '/usr/bin/tini',
  capture: '/kelos/kelos-capture',
} as const;

/** UID of the agent user and fsGroup of the pod when a workspace is mounted. */
export const AGENT_UID = 61100;

export const GIT_IMAGE = 'alpine/git:v2.47.2';
export const SKILLS_INSTALL_IMAGE = 'node:22.14.0-alpine';
export const SKILLS_SH_PLUGIN_NAME = 'skills-sh';

/** Env var names Kelos sets or reserves; user env with one of these names is dropped. */
export const ENV = {
  model: 'KELOS_MODEL',
  effort: 'KELOS_EFFORT',
  branch: 'KELOS_BRANCH',
  agentType: 'KELOS_AGENT_TYPE',
  taskSpawner: 'KELOS_TASKSPAWNER',
  ghHost: 'GH_HOST',
  baseBranch: 'KELOS_BASE_BRANCH',
  upstreamRepo: 'KELOS_UPSTREAM_REPO',
  githubToken: 'GITHUB_TOKEN',
  ghToken: 'GH_TOKEN',
  ghEnterpriseToken: 'GH_ENTERPRISE_TOKEN',
  ghConfigDir: 'GH_CONFIG_DIR',
  githubTokenFile: 'KELOS_GITHUB_TOKEN_FILE',
  setupCommand: 'KELOS_SETUP_COMMAND',
  agentsMd: 'KELOS_AGENTS_MD',
  pluginDir: 'KELOS_PLUGIN_DIR',
  mcpServers: 'KELOS_MCP_SERVERS',
  sessionSetupOnly: 'KELOS_SESSION_SETUP_ONLY',
  sessionName: 'KELOS_SESSION_NAME',
  sessionNamespace: 'KELOS_SESSION_NAMESPACE',
  sessionPodUid: 'KELOS_SESSION_POD_UID',
  taskName: 'KELOS_TASK_NAME',
} as const;

/** Always dropped from `podOverrides.env`, even when Kelos did not set them for this Task. */
export const ALWAYS_RESERVED_ENV: readonly string[] = [ENV.setupCommand, ENV.sessionSetupOnly];

/** Names the agent image contract reserves (spec §12.1). */
export const RESERVED_ENV_NAMES: readonly string[] = [
  ...Object.values(ENV),
  'CLAUDE_CONFIG_DIR',
  'CODEX_HOME',
  'OPENCODE_CONFIG_DIR',
  'XDG_DATA_HOME',
];
