import type { AgentConfigSpec, Task } from '@kelos/shared';
import type { SecretReader } from '../agentconfig/resolve-mcp-secrets.js';
import { agentConfigRefs, mergeAgentConfigs } from '../job/agentconfig-merge.js';
import { type TaskDeps, taskNamespace } from './context.js';
import { readSecret } from './github-token.js';

export type AgentConfigResolution =
  | { kind: 'ready'; spec: AgentConfigSpec | undefined }
  /** An AgentConfig the Task names does not exist (yet): look again in 2 s, phase unchanged. */
  | { kind: 'missing'; name: string };

/** The Task's AgentConfigs from the cache, merged in order (spec §5.1); none gives undefined. */
export function resolveAgentConfigs(deps: TaskDeps, task: Task): AgentConfigResolution {
  const refs = agentConfigRefs(task.spec);
  if (refs.length === 0) return { kind: 'ready', spec: undefined };
  const specs: AgentConfigSpec[] = [];
  for (const ref of refs) {
    const config = deps.caches.agentConfigs.get(taskNamespace(task), ref.name);
    if (!config) return { kind: 'missing', name: ref.name };
    specs.push(config.spec);
  }
  return { kind: 'ready', spec: mergeAgentConfigs(specs) };
}

/** Reads Secrets of the Task's namespace, decoded, for MCP `headersFrom`/`envFrom` (spec §3.2 step 2). */
export function mcpSecretReader(deps: TaskDeps, task: Task): SecretReader {
  return async (name) => {
    const secret = await readSecret(deps, taskNamespace(task), name);
    if (!secret) return undefined;
    const decoded: Record<string, string> = {};
    for (const [key, value] of Object.entries(secret.data ?? {})) {
      decoded[key] = Buffer.from(value, 'base64').toString('utf8');
    }
    return decoded;
  };
}
