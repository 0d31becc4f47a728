import type { Task, Workspace } from '@kelos/shared';
import { McpSecretError, resolveMcpSecrets } from '../agentconfig/resolve-mcp-secrets.js';
import { buildJob } from '../job/build-job.js';
import { JobBuildError } from '../job/errors.js';
import type { V1Job } from '../job/kube-types.js';
import { collectionPath, kinds } from '../runtime/kinds.js';
import { isAlreadyExists } from '../runtime/kube-client.js';
import { metrics } from '../runtime/metrics.js';
import { mcpSecretReader, resolveAgentConfigs } from './agent-config.js';
import { type StepResult, type TaskContext, type TaskDeps, taskName, taskNamespace } from './context.js';
import { taskLookup } from './dependency-step.js';
import { failBeforeJob } from './fail-before-job.js';
import { GitHubTokenError, resolveWorkspaceToken } from './github-token.js';
import { ensurePluginConfigMap, PluginConfigMapError } from './plugin-configmap.js';
import { resolvePrompt } from './prompt.js';
import { taskOwnerReference, writeTaskStatus } from './task-api.js';

/** A referenced Workspace or AgentConfig that does not exist yet is looked for again this soon. */
export const MISSING_REFERENCE_REQUEUE_MS = 2_000;
/** Our Job already exists but the cache has not seen it: look again shortly. */
export const JOB_EXISTS_REQUEUE_MS = 1_000;

type WorkspaceStep = { kind: 'ready'; workspace?: Workspace } | { kind: 'missing' } | { kind: 'failed' };

/** The Task's Workspace, its secretRef swapped for a minted App token Secret when it names App credentials. */
async function workspaceFor(ctx: TaskContext, task: Task): Promise<WorkspaceStep> {
  const ref = task.spec.workspaceRef?.name;
  if (!ref) return { kind: 'ready' };
  const workspace = ctx.deps.caches.workspaces.get(taskNamespace(task), ref);
  if (!workspace) {
    ctx.log.debug({ workspace: ref }, 'workspace not found; retrying');
    return { kind: 'missing' };
  }
  try {
    return { kind: 'ready', workspace: await resolveWorkspaceToken(ctx.deps, task, workspace) };
  } catch (err) {
    if (!(err instanceof GitHubTokenError)) throw err;
    await failBeforeJob(
      ctx.deps,
      task,
      'GitHubTokenFailed',
      `Failed to resolve GitHub token: ${err.message}`,
    );
    return { kind: 'failed' };
  }
}

/**
 * Creates the Task's Job (spec §3.2): workspace and GitHub token, AgentConfigs and MCP Secrets, prompt,
 * build, plugin ConfigMap, then the Job itself. A missing reference is waited for without changing the
 * phase; anything the Task's owner must fix fails the Task with the reason.
 */
export async function createJob(ctx: TaskContext, task: Task): Promise<StepResult> {
  const { deps } = ctx;
  const step = await workspaceFor(ctx, task);
  if (step.kind === 'missing') return { requeueAfterMs: MISSING_REFERENCE_REQUEUE_MS };
  if (step.kind === 'failed') return {};
  const { workspace } = step;

  const configs = resolveAgentConfigs(deps, task);
  if (configs.kind === 'missing') {
    ctx.log.debug({ agentConfig: configs.name }, 'agent config not found; retrying');
    return { requeueAfterMs: MISSING_REFERENCE_REQUEUE_MS };
  }
  let agentConfig = configs.spec;
  if (agentConfig) {
    try {
      agentConfig = await resolveMcpSecrets(agentConfig, mcpSecretReader(deps, task));
    } catch (err) {
      if (!(err instanceof McpSecretError)) throw err;
      await failBeforeJob(
        deps,
        task,
        'MCPSecretFailed',
        `Failed to resolve MCP server secret: ${err.message}`,
      );
      return {};
    }
  }

  const prompt = resolvePrompt(task, taskLookup(deps, task));
  let job: V1Job;
  try {
    job = buildJob({
      task,
      ...(workspace && { workspace }),
      ...(agentConfig && { agentConfig }),
      prompt,
      options: deps.jobOptions,
    });
  } catch (err) {
    if (!(err instanceof JobBuildError)) throw err;
    await failBeforeJob(deps, task, 'JobBuildFailed', `Failed to build Job: ${err.message}`);
    return {};
  }

  const plugins = agentConfig?.plugins ?? [];
  if (plugins.length > 0) {
    try {
      await ensurePluginConfigMap(deps, task, plugins);
    } catch (err) {
      if (!(err instanceof PluginConfigMapError)) throw err;
      await failBeforeJob(
        deps,
        task,
        'PluginConfigMapFailed',
        `Failed to reconcile plugin ConfigMap: ${err.message}`,
      );
      return {};
    }
  }

  return submitJob(deps, task, job);
}

/**
 * Creates the Job under the Task's controller reference, then records it. No requeue is asked: the Job's
 * ADDED event (Owns) brings the Task back once the cache holds the Job. The event is not waited for.
 */
async function submitJob(deps: TaskDeps, task: Task, job: V1Job): Promise<StepResult> {
  job.metadata.ownerReferences = [taskOwnerReference(task)];
  const name = job.metadata.name ?? taskName(task);
  const namespace = taskNamespace(task);
  const uid = task.metadata.uid ?? '';
  deps.expectedJobs.expect(uid);
  try {
    await deps.clients.json.createIgnoringResult(collectionPath(kinds.Job, namespace), job);
  } catch (err) {
    deps.expectedJobs.observed(uid);
    if (isAlreadyExists(err)) return { requeueAfterMs: JOB_EXISTS_REQUEUE_MS };
    throw err;
  }
  metrics.taskCreated.inc({ namespace, type: task.spec.type });
  void deps.events.record(task, 'Normal', 'TaskCreated', `Created Job ${name} for task`);
  await writeTaskStatus(deps, task, (status) => {
    status.phase = 'Pending';
    status.jobName = name;
    status.message = '';
    return true;
  });
  return {};
}
