import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKOUT, type E2eCluster, startE2eCluster } from './helpers/e2e-cluster.js';
import { git } from './helpers/e2e-git.js';

/**
 * Every manifest in examples/ applied with kubectl, as a user would, and run to completion by the real
 * controller with the fake agent. Only what cannot work here is changed: the Workspace's GitHub URL
 * becomes a repository on the local git server (the `claude-credentials` Secret comes with the namespace).
 */

const run = promisify(execFile);
const EXAMPLES = join(CHECKOUT, 'examples');
type Manifest = { kind: string; metadata: { name: string }; spec: Record<string, unknown> };

let e2e: E2eCluster;

beforeAll(async () => {
  e2e = await startE2eCluster();
}, 30_000);

afterAll(async () => {
  await e2e?.stop();
});

function kubectl(args: string[], input?: string): Promise<string> {
  // Asynchronous: the API server lives in this process, so a blocking call would never be answered.
  const child = run('kubectl', ['--kubeconfig', e2e.kubeconfigPath, ...args], { timeout: 30_000 });
  if (input !== undefined) child.child.stdin?.end(input);
  return child.then((r) => r.stdout);
}

/** The objects of example files, as kubectl parses them (`-o json` prints one document per object). */
async function manifests(namespace: string, files: string[]): Promise<Manifest[]> {
  const objects: Manifest[] = [];
  for (const file of files) {
    const json = await kubectl([
      'create',
      '-n',
      namespace,
      '--dry-run=client',
      '-o',
      'json',
      '-f',
      join(EXAMPLES, file),
    ]);
    objects.push(...(JSON.parse(`[${json.replace(/^}\s*\n{/gm, '},{')}]`) as Manifest[]));
  }
  return objects;
}

/**
 * Applies an example, with the demo Workspace (examples/task-with-workspace) pointed at a fresh local
 * repository, in a namespace of its own; returns the namespace and the repository's path.
 */
async function applyExample(files: string[], withWorkspace: boolean) {
  const ns = e2e.namespace('example');
  const objects = await manifests(ns, [
    ...(withWorkspace ? ['task-with-workspace/workspace.yaml'] : []),
    ...files,
  ]);
  const url = e2e.git.createRepo(ns);
  for (const object of objects) if (object.kind === 'Workspace') object.spec.repo = url;
  const list = { apiVersion: 'v1', kind: 'List', items: objects };
  await kubectl(['apply', '-n', ns, '-f', '-'], JSON.stringify(list));
  return { ns, repo: e2e.git.repoPath(ns) };
}

const usage = (prompt: string) => ({
  'cost-usd': '0.0125',
  'input-tokens': String(Buffer.byteLength(prompt)),
  'output-tokens': '17',
});

describe.sequential('examples/', () => {
  it('simple-task: one Task without a repository', async () => {
    const { ns } = await applyExample(['simple-task/task.yaml'], false);
    const task = await e2e.waitForTaskPhase(ns, 'hello', 'Succeeded', 60_000);
    expect(task.status?.results).toMatchObject(usage(task.spec.prompt));
    expect(task.status?.results?.response).toBeTruthy();
    expect(task.status?.results?.branch).toBeUndefined();
  }, 70_000);

  it('task-with-workspace: the Task pushes its branch to the Workspace repository', async () => {
    const { ns, repo } = await applyExample(['task-with-workspace/task.yaml'], true);
    const task = await e2e.waitForTaskPhase(ns, 'add-readme-badge', 'Succeeded', 60_000);
    expect(task.status?.results).toMatchObject({
      ...usage(task.spec.prompt),
      branch: 'kelos/readme-badge',
      'base-branch': 'main',
      commit: git(repo, 'rev-parse', 'refs/heads/kelos/readme-badge'),
    });
  }, 70_000);

  it('task-with-agentconfig: the AgentConfig reaches the agent and the Task succeeds', async () => {
    const { ns, repo } = await applyExample(
      ['task-with-agentconfig/agentconfig.yaml', 'task-with-agentconfig/task.yaml'],
      true,
    );
    const task = await e2e.waitForTaskPhase(ns, 'document-change', 'Succeeded', 60_000);
    // No branch: the agent committed on the cloned main and pushed it.
    expect(task.status?.results).toMatchObject({
      ...usage(task.spec.prompt),
      branch: 'main',
      commit: git(repo, 'rev-parse', 'refs/heads/main'),
    });
    const pod = e2e.job(ns, 'document-change')?.spec.template.spec as unknown as {
      initContainers: { name: string }[];
      containers: { env: { name: string; value?: string }[] }[];
    };
    expect(pod.initContainers.map((c) => c.name)).toContain('plugin-setup');
    const agentsMd = pod.containers[0]?.env.find((e) => e.name === 'KELOS_AGENTS_MD')?.value;
    expect(agentsMd).toContain('# Team conventions');
  }, 70_000);

  it('pipeline: implement waits for plan, then gets plan’s branch in its prompt', async () => {
    const { ns, repo } = await applyExample(['pipeline/tasks.yaml'], true);
    const plan = await e2e.waitForTaskPhase(ns, 'plan', 'Succeeded', 60_000);
    const implement = await e2e.waitForTaskPhase(ns, 'implement', 'Succeeded', 60_000);
    expect(plan.status?.results?.commit).toBe(git(repo, 'rev-parse', 'refs/heads/kelos/plan'));
    expect(implement.status?.results?.commit).toBe(git(repo, 'rev-parse', 'refs/heads/kelos/implement'));
    const args = e2e.job(ns, 'implement')?.spec.template.spec.containers[0]?.args;
    expect(args).toEqual(['Implement PLAN.md from branch kelos/plan and push your work.']);
    expect(Date.parse(implement.status?.startTime ?? '')).toBeGreaterThanOrEqual(
      Date.parse(plan.status?.completionTime ?? ''),
    );
  }, 130_000);
});
