import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Task } from '@kelos/shared';
import { LABELS } from '@kelos/shared/constants';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKOUT, type E2eCluster, eventually, startE2eCluster, TASKS } from './helpers/e2e-cluster.js';
import { git } from './helpers/e2e-git.js';
import { FakeGitHubRepo } from './helpers/fake-github-repo.js';

/**
 * Every manifest in examples/ applied with kubectl, as a user would, and run to completion by the real
 * controller with the fake agent. Only what cannot work here is changed: the Workspace's GitHub URL
 * becomes a repository on the local git server (the `claude-credentials` Secret comes with the namespace),
 * GitHub is a fake GitHub server (the controller's --github-api-base-url, which it passes on to every
 * spawner), and the weekly cron schedule fires every minute.
 */

const run = promisify(execFile);
const EXAMPLES = join(CHECKOUT, 'examples');
type Manifest = { kind: string; metadata: { name: string }; spec: Record<string, unknown> };

const GITHUB_TOKEN = 'ghp_examples';

let e2e: E2eCluster;
let github: FakeGitHubRepo;
/** The cron example, applied first: its CronJob fires on whole minutes, so the tick comes while the rest runs. */
let cron: { ns: string; repo: string };

beforeAll(async () => {
  e2e = await startE2eCluster({ controller: false });
  // The fake serves the repository the issues example's Workspace names.
  const [workspace] = await manifests('default', ['taskspawner-github-issues/workspace.yaml']);
  const [owner, repo] = new URL(String(workspace?.spec.repo)).pathname.replace(/^\/|\.git$/g, '').split('/');
  github = new FakeGitHubRepo({ owner: owner ?? '', repo: repo ?? '' });
  github.addToken(GITHUB_TOKEN, 'kelos-bot');
  await github.start();
  await e2e.startController([`--github-api-base-url=${github.url}`]);
  cron = await applyExample(['taskspawner-cron/taskspawner.yaml'], true, (object) => {
    if (object.kind === 'TaskSpawner')
      (object.spec.when as { cron: { schedule: string } }).cron.schedule = '* * * * *';
  });
}, 60_000);

afterAll(async () => {
  await e2e?.stop();
  await github?.stop();
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
 * Applies an example, with the demo Workspace (examples/task-with-workspace) when asked, in a namespace of
 * its own; returns the namespace and the path of the local repository its Workspace points at. That
 * repository is named after the namespace, unless `repoName` keeps a GitHub `owner/repo` a spawner reads
 * from the URL. `adapt` changes what cannot work here.
 */
async function applyExample(
  files: string[],
  withWorkspace: boolean,
  adapt: (object: Manifest) => void = () => {},
  repoName?: string,
) {
  const ns = e2e.namespace('example');
  const objects = await manifests(ns, [
    ...(withWorkspace ? ['task-with-workspace/workspace.yaml'] : []),
    ...files,
  ]);
  const name = repoName ?? ns;
  const url = e2e.git.createRepo(name);
  for (const object of objects) {
    if (object.kind === 'Workspace') object.spec.repo = url;
    adapt(object);
  }
  const list = { apiVersion: 'v1', kind: 'List', items: objects };
  await kubectl(['apply', '-n', ns, '-f', '-'], JSON.stringify(list));
  return { ns, repo: e2e.git.repoPath(name) };
}

const spawnedTasks = (ns: string, spawner: string) =>
  e2e.client.list(TASKS, { namespace: ns, labelSelector: `${LABELS.taskSpawner}=${spawner}` })
    .items as unknown as Task[];

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

  it('taskspawner-github-issues: one Task per labelled issue, its branch pushed, one status comment', async () => {
    const wanted = github.addIssue({
      title: 'Add a --version flag',
      body: 'Print the version.',
      labels: ['kelos'],
    });
    github.addIssue({ title: 'Not labelled', labels: [] });
    github.addIssue({ title: 'Waiting for a decision', labels: ['kelos', 'kelos/blocked'] });
    const { ns, repo } = await applyExample(
      ['taskspawner-github-issues/workspace.yaml', 'taskspawner-github-issues/taskspawner.yaml'],
      false,
      undefined,
      `${github.owner}/${github.repo}`,
    );
    // The Secret as the example's comment creates it, with the fake's token.
    await kubectl([
      'create',
      'secret',
      'generic',
      'github-token',
      '-n',
      ns,
      `--from-literal=GITHUB_TOKEN=${GITHUB_TOKEN}`,
    ]);

    const name = `issue-fixer-${wanted.number}`;
    const task = await e2e.waitForTaskPhase(ns, name, 'Succeeded', 90_000);
    expect(task.spec.prompt).toContain(`Resolve GitHub issue #${wanted.number}: Add a --version flag`);
    expect(task.status?.results).toMatchObject({
      ...usage(task.spec.prompt),
      branch: `kelos-issue-${wanted.number}`,
      commit: git(repo, 'rev-parse', `refs/heads/kelos-issue-${wanted.number}`),
    });
    const comments = await eventually(
      () => {
        const posted = github.item(wanted.number).comments.filter((c) => c.user === 'kelos-bot');
        return posted[0]?.body.includes('**succeeded**') && posted;
      },
      30_000,
      'the succeeded status comment',
    );
    expect(comments).toHaveLength(1);
    expect(spawnedTasks(ns, 'issue-fixer').map((t) => t.metadata.name)).toEqual([name]);
  }, 100_000);

  it('taskspawner-cron: the CronJob’s spawner creates the tick’s Task, which pushes its branch', async () => {
    // Applied in beforeAll; the first minute boundary after that is the tick.
    const task = await eventually(
      () => spawnedTasks(cron.ns, 'weekly-deps').find((t) => t.status?.phase === 'Succeeded'),
      150_000,
      'a Succeeded weekly-deps Task',
    );
    const id = /^weekly-deps-(\d{8}-\d{4})$/.exec(task.metadata.name ?? '')?.[1];
    expect(id).toBeDefined();
    expect(task.spec.prompt).toMatch(/^Weekly dependency check \(\d{4}-\d\d-\d\dT\d\d:\d\d:00Z\)/);
    expect(task.status?.results).toMatchObject({
      branch: `kelos/deps-${id}`,
      commit: git(cron.repo, 'rev-parse', `refs/heads/kelos/deps-${id}`),
    });
  }, 160_000);
});
