import type { SkillsSh } from '@kelos/shared';
import { AGENT_UID, INIT_CONTAINER_NAMES, PATHS, SKILLS_SH_PLUGIN_NAME } from '@kelos/shared/constants';
import { envValue } from '../env.js';
import { JobBuildError } from '../errors.js';
import type { V1Container } from '../kube-types.js';
import { type JobBuilderOptions, skillsInstallImage } from '../options.js';
import { shellQuote } from '../shell.js';
import { pluginMount } from '../volumes.js';
import { shellCommand } from './common.js';

/**
 * Installs skills.sh packages with `npx skills add`, then moves them into the plugin layout the
 * entrypoints scan (`<plugin dir>/skills-sh/skills/<skill>`). The `universal` agent target puts
 * every package in `$HOME/.agents/skills` whatever the agent type, and `$HOME` is the plugin
 * volume, so the installer's leftovers (`.agents`, `.npm`) are removed and ownership handed to
 * the agent UID (the node image runs as root).
 */
export function skillsInstallScript(skills: readonly SkillsSh[]): string {
  const installDir = `${PATHS.pluginDir}/.agents/skills`;
  const targetDir = `${PATHS.pluginDir}/${SKILLS_SH_PLUGIN_NAME}/skills`;
  const installs = skills.map((s) => {
    if (s.source === '') throw new JobBuildError('invalid skills configuration: skills.sh source is empty');
    const single = s.skill ? ` -s ${shellQuote(s.skill)}` : '';
    return `npx -y skills add ${shellQuote(s.source)} -a universal -y -g${single}`;
  });
  return [
    'set -eu',
    'apk add --no-cache git >/dev/null 2>&1',
    ...installs,
    `[ -d ${shellQuote(installDir)} ] || { echo 'No skills.sh skills were installed' >&2; exit 1; }`,
    `mkdir -p ${shellQuote(targetDir)}`,
    `mv ${shellQuote(installDir)}/* ${shellQuote(targetDir)}/`,
    `rm -rf ${shellQuote(`${PATHS.pluginDir}/.agents`)} ${shellQuote(`${PATHS.pluginDir}/.npm`)}`,
    `chown -R ${AGENT_UID}:${AGENT_UID} ${shellQuote(PATHS.pluginDir)}`,
  ].join('\n');
}

/** Init container 6 (spec §4.5): runs as the image's user (root) because it installs git with apk. */
export function skillsInstallContainer(skills: readonly SkillsSh[], options: JobBuilderOptions): V1Container {
  return {
    name: INIT_CONTAINER_NAMES.skillsInstall,
    image: skillsInstallImage(options),
    command: shellCommand(skillsInstallScript(skills)),
    env: [envValue('HOME', PATHS.pluginDir)],
    volumeMounts: [pluginMount()],
  };
}
