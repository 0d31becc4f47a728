import type { AgentConfigSpec, Plugin, Task } from '@kelos/shared';
import { componentNameProblem } from './component-name.js';
import { JobBuildError } from './errors.js';
import type { V1ConfigMap, V1KeyToPath } from './kube-types.js';

/**
 * Kubernetes rejects objects over 1 MiB (the etcd request limit); stopping at 900 KiB leaves room
 * for keys, metadata and the JSON envelope.
 */
export const PLUGIN_CONFIGMAP_MAX_BYTES = 900 * 1024;

/** Plugins and skills.sh packages both live in the plugin directory the agent is pointed at. */
export function usesPluginDir(config: AgentConfigSpec | undefined): boolean {
  return (config?.plugins?.length ?? 0) > 0 || (config?.skills?.length ?? 0) > 0;
}

export function pluginConfigMapName(taskName: string): string {
  return `${taskName}-plugins`;
}

export interface PluginPayload {
  /** ConfigMap data; keys are `p<i>-s<j>` / `p<i>-a<j>` because ConfigMap keys must match `[-._a-zA-Z0-9]+`. */
  data: Record<string, string>;
  /** Volume projection of each key to `<plugin>/skills/<skill>/SKILL.md` or `<plugin>/agents/<agent>.md`. */
  items: V1KeyToPath[];
}

function invalid(problem: string): JobBuildError {
  return new JobBuildError(`invalid plugin configuration: ${problem}`);
}

function checkName(name: string, kind: string): void {
  const problem = componentNameProblem(name, kind);
  if (problem) throw invalid(problem);
}

/** Validates plugin, skill and sub-agent names and lays the content out for the per-task ConfigMap. */
export function pluginPayload(plugins: readonly Plugin[]): PluginPayload {
  const data: Record<string, string> = {};
  const items: V1KeyToPath[] = [];
  let totalBytes = 0;
  const add = (key: string, content: string, path: string) => {
    data[key] = content;
    items.push({ key, path });
    totalBytes += Buffer.byteLength(content, 'utf8');
  };

  plugins.forEach((plugin, i) => {
    checkName(plugin.name, 'plugin');
    (plugin.skills ?? []).forEach((skill, j) => {
      checkName(skill.name, 'skill');
      add(`p${i}-s${j}`, skill.content, `${plugin.name}/skills/${skill.name}/SKILL.md`);
    });
    (plugin.agents ?? []).forEach((agent, j) => {
      checkName(agent.name, 'agent');
      add(`p${i}-a${j}`, agent.content, `${plugin.name}/agents/${agent.name}.md`);
    });
  });

  if (totalBytes > PLUGIN_CONFIGMAP_MAX_BYTES) {
    throw invalid(
      `plugin content totals ${totalBytes} bytes, exceeding the ${PLUGIN_CONFIGMAP_MAX_BYTES} byte ConfigMap ` +
        'budget; reduce skill/agent content size',
    );
  }
  return { data, items };
}

/**
 * The ConfigMap `<task>-plugins` that the Job's `kelos-plugin-src` volume mounts. The reconciler
 * creates it (owned by the Task) before the Job, since the pod cannot start without it.
 */
export function buildPluginConfigMap(task: Task, plugins: readonly Plugin[]): V1ConfigMap {
  const name = task.metadata.name;
  if (!name) throw new JobBuildError('task has no metadata.name');
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: pluginConfigMapName(name),
      ...(task.metadata.namespace && { namespace: task.metadata.namespace }),
    },
    data: pluginPayload(plugins).data,
  };
}
