import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Cluster } from './cli-harness.js';

let cluster: Cluster;

beforeAll(async () => {
  cluster = await Cluster.start();
  for (const ns of ['from-flag', 'from-config', 'from-context', 'team']) cluster.createNamespace(ns);
});

afterAll(async () => {
  await cluster.stop();
});

describe('namespace resolution: -n > config > kubeconfig context > default', () => {
  it('uses each source in turn', async () => {
    const kubeconfig = cluster.path('.kube', 'config');
    const withContextNs = cluster.write(
      'ctx-kubeconfig',
      (await import('node:fs'))
        .readFileSync(kubeconfig, 'utf8')
        .replace('namespace: default', 'namespace: from-context'),
    );
    const config = cluster.write('ns-config.yaml', 'namespace: from-config\n');
    const run = (...args: string[]) =>
      cluster.run(['run', '-p', 'x', '--credential-type', 'none', '--dry-run', ...args]);
    const namespaceOf = async (...args: string[]) => parse((await run(...args)).stdout).metadata.namespace;
    const base = ['--kubeconfig', withContextNs];
    expect(await namespaceOf(...base, '--config', config, '-n', 'from-flag')).toBe('from-flag');
    expect(await namespaceOf(...base, '--config', config)).toBe('from-config');
    expect(await namespaceOf(...base)).toBe('from-context');
    expect(await namespaceOf()).toBe('default');
    // A dry run needs no cluster: an unusable kubeconfig means `default`.
    expect(await namespaceOf('--kubeconfig', '/nonexistent')).toBe('default');

    // The same order against the API server.
    const created = await cluster.run([
      'run',
      '-p',
      'x',
      '--credential-type',
      'none',
      '--name',
      'ns-probe',
      '-v',
      ...base,
    ]);
    expect(created.stdout).toBe('task/ns-probe created\n');
    expect(created.stderr).toContain('[debug] namespace: from-context (from kubeconfig context)');
    expect(cluster.api.client.get('tasks.kelos.dev', 'ns-probe', 'from-context').metadata.name).toBe(
      'ns-probe',
    );
  });

  it('honours --context', async () => {
    const kubeconfig = (await import('node:fs')).readFileSync(cluster.path('.kube', 'config'), 'utf8');
    const doc = parse(kubeconfig);
    doc.contexts.push({ name: 'team', context: { ...doc.contexts[0].context, namespace: 'team' } });
    const path = cluster.write('two-contexts', JSON.stringify(doc));
    cluster.createTask('in-team', 'team');
    const r = await cluster.run(['get', 'tasks', '--kubeconfig', path, '--context', 'team', '-o', 'name']);
    expect(r).toMatchObject({ code: 0, stdout: 'task/in-team\n' });
  });
});

describe('run, get and delete', () => {
  it('round-trips a task through every output format', async () => {
    const created = await cluster.run([
      'run',
      '-p',
      'Fix the bug',
      '--credential-type',
      'none',
      '--name',
      'round',
      '--type',
      'gemini',
      '--branch',
      'fix/bug',
      '--agent-config',
      'a1',
      '--agent-config',
      'a2',
    ]);
    expect(created).toEqual({ code: 0, stdout: 'task/round created\n', stderr: '' });

    const table = await cluster.run(['get', 'tasks']);
    expect(table.code).toBe(0);
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(
      /^NAME {3,}TYPE {3,}PHASE {3,}BRANCH {3,}WORKSPACE {3,}AGENT CONFIG {3,}DURATION {3,}AGE$/,
    );
    const row = rows.find((r) => r.startsWith('round '));
    expect(row?.split(/ {3,}/).slice(0, 7)).toEqual(['round', 'gemini', '-', 'fix/bug', '-', 'a1,a2', '-']);

    const yaml = parse((await cluster.run(['get', 'task', 'round', '-o', 'yaml'])).stdout);
    expect(yaml).toMatchObject({
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'Task',
      metadata: { name: 'round' },
    });
    expect(Object.keys(yaml).slice(0, 4)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(yaml.spec.agentConfigRefs).toEqual([{ name: 'a1' }, { name: 'a2' }]);

    const json = await cluster.run(['get', 'tasks', '-o', 'json']);
    const list = JSON.parse(json.stdout);
    expect(list).toMatchObject({ apiVersion: 'kelos.dev/v1alpha1', kind: 'TaskList' });
    expect(list.items.map((t: { metadata: { name: string } }) => t.metadata.name)).toContain('round');
    expect(json.stdout).toMatch(/^\{\n {2}"apiVersion"/);

    const wide = await cluster.run(['get', 'tasks', '-o', 'wide']);
    expect(wide.stdout.split('\n')[0]).toMatch(/AGE {3,}MODEL {3,}DEPENDS ON {3,}POD$/);
    expect((await cluster.run(['get', 'tasks', '-o', 'name'])).stdout).toContain('task/round\n');

    const detail = await cluster.run(['get', 'task', 'round', '-d']);
    expect(detail.stdout).toContain(`${'Name:'.padEnd(20)}round\n`);
    expect(detail.stdout).toContain(`${'Agent Configs:'.padEnd(20)}a1, a2\n`);
    expect(detail.stdout).toContain(`${'Branch:'.padEnd(20)}fix/bug\n`);

    const deleted = await cluster.run(['delete', 'task', 'round', '-y']);
    expect(deleted).toEqual({ code: 0, stdout: 'task/round deleted\n', stderr: '' });
    const gone = await cluster.run(['get', 'task', 'round']);
    expect(gone).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error from server (NotFound): tasks.kelos.dev "round" not found\n',
    });
  });

  it('lists across namespaces with -A and filters by --phase', async () => {
    cluster.createTask('done', 'team');
    cluster.api.client.patch('tasks.kelos.dev', 'done', {
      type: 'merge',
      namespace: 'team',
      subresource: 'status',
      patch: {
        status: {
          phase: 'Succeeded',
          startTime: '2026-01-01T00:00:00Z',
          completionTime: '2026-01-01T00:02:05Z',
        },
      },
    });
    const all = await cluster.run(['get', 'tasks', '-A']);
    expect(all.stdout.split('\n')[0]).toMatch(/^NAMESPACE {3,}NAME /);
    expect(all.stdout).toMatch(/^team {3,}done {3,}codex {3,}Succeeded .* 2m5s {3,}\S+$/m);
    const succeeded = await cluster.run([
      'get',
      'tasks',
      '-n',
      'team',
      '--phase',
      'Running,Succeeded',
      '-o',
      'name',
    ]);
    expect(succeeded.stdout).toBe('task/done\n');
    const failed = await cluster.run(['get', 'tasks', '-n', 'team', '--phase', 'Failed']);
    expect(failed.stdout.trimEnd().split('\n')).toHaveLength(1);
  });

  it('asks before deleting, and deletes everything with --all', async () => {
    cluster.createNamespace('wipe');
    for (const name of ['w1', 'w2']) cluster.createTask(name, 'wipe');
    const declined = await cluster.run(['delete', 'task', 'w1', '-n', 'wipe'], { input: 'n\n' });
    expect(declined.code).toBe(1);
    expect(declined.stderr).toContain('Delete task/w1 in namespace wipe? [y/N]: ');
    expect(declined.stderr).toContain('Error: aborted');
    const accepted = await cluster.run(['delete', 'task', 'w1', '-n', 'wipe'], { input: 'yes\n' });
    expect(accepted.stdout).toBe('task/w1 deleted\n');
    const all = await cluster.run(['delete', 'tasks', '--all', '-n', 'wipe', '-y']);
    expect(all.stdout).toBe('task/w2 deleted\n');
    const none = await cluster.run(['delete', 'tasks', '--all', '-n', 'wipe']);
    expect(none).toMatchObject({ code: 0, stdout: 'No tasks found\n' });
  });
});

describe('workspaces, agent configs and task spawners', () => {
  it('creates, gets and deletes a workspace with a token Secret', async () => {
    const created = await cluster.run([
      'create',
      'ws',
      'repo',
      '--repo',
      'https://github.com/acme/app.git',
      '--ref',
      'main',
      '--token',
      'ghp_supersecret',
    ]);
    expect(created).toEqual({ code: 0, stdout: 'workspace/repo created\n', stderr: '' });
    const secret = cluster.api.client.get('secrets', 'repo-credentials', 'default') as unknown as {
      data: Record<string, string>;
    };
    expect(Buffer.from(secret.data.GITHUB_TOKEN ?? '', 'base64').toString()).toBe('ghp_supersecret');
    const table = await cluster.run(['get', 'workspaces']);
    expect(table.stdout).toMatch(
      /^NAME {3,}REPO {3,}REF {3,}AGE\nrepo {3,}https:\/\/github.com\/acme\/app.git {3,}main {3,}\S+\n$/,
    );
    const detail = await cluster.run(['get', 'ws', 'repo', '-d']);
    expect(detail.stdout).toContain(`${'Secret:'.padEnd(20)}repo-credentials\n`);
    const again = await cluster.run([
      'create',
      'workspace',
      'repo',
      '--repo',
      'https://github.com/acme/app.git',
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Error: workspace/repo already exists in namespace default');
    const invalid = await cluster.run([
      'create',
      'workspace',
      'bad',
      '--repo',
      'ftp://x',
      '--dry-run',
      '-n',
      'default',
    ]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('spec.repo');
    expect((await cluster.run(['delete', 'workspace', 'repo', '-y'])).stdout).toBe(
      'workspace/repo deleted\n',
    );
  });

  it('creates an agent config from flags and files', async () => {
    const skill = cluster.write('skill.md', '# Review\nCheck the tests.\n\n');
    const dry = await cluster.run([
      'create',
      'agentconfig',
      'helper',
      '--agents-md',
      'Be brief.',
      '--skill',
      `review=@${skill}`,
      '--agent',
      'planner=Plan first.',
      '--mcp',
      'gh={"type":"http","url":"https://mcp.example/","headers":{"B":"2","A":"1"}}',
      '--skills-sh',
      'acme/skills:lint',
      '--skills-sh',
      'https://git.example:8443/org/repo.git',
      '--dry-run',
      '-n',
      'default',
    ]);
    expect(dry.code).toBe(0);
    expect(parse(dry.stdout).spec).toEqual({
      agentsMD: 'Be brief.',
      plugins: [
        {
          name: 'kelos',
          skills: [{ name: 'review', content: '# Review\nCheck the tests.' }],
          agents: [{ name: 'planner', content: 'Plan first.' }],
        },
      ],
      skills: [{ source: 'acme/skills', skill: 'lint' }, { source: 'https://git.example:8443/org/repo.git' }],
      mcpServers: [{ name: 'gh', type: 'http', url: 'https://mcp.example/', headers: { A: '1', B: '2' } }],
    });
    const bad = await cluster.run(['create', 'ac', 'x', '--skill', 'no-equals']);
    expect(bad.stderr).toContain(
      'Error: invalid --skill value "no-equals": must be name=content or name=@file',
    );
    const created = await cluster.run([
      'create',
      'ac',
      'helper',
      '--agents-md',
      'Be brief.',
      '--mcp',
      'fs={"type":"stdio","command":"mcp-fs"}',
    ]);
    expect(created.stdout).toBe('agentconfig/helper created\n');
    const table = await cluster.run(['get', 'ac']);
    expect(table.stdout).toMatch(
      /^NAME {3,}PLUGINS {3,}SKILLS {3,}MCP SERVERS {3,}AGE\nhelper {3,}0 {3,}0 {3,}1 {3,}\S+\n$/,
    );
  });

  it('lists a GitHub task spawner with its source and counts, and details it', async () => {
    cluster.api.client.create('taskspawners.kelos.dev', {
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'TaskSpawner',
      metadata: { name: 'triage', namespace: 'default' },
      spec: {
        when: { githubIssues: { labels: ['bug', 'p1'], state: 'open' } },
        taskTemplate: {
          type: 'codex',
          model: 'gpt-5',
          credentials: { type: 'none' },
          workspaceRef: { name: 'widgets' },
        },
      },
    } as never);
    const table = await cluster.run(['get', 'taskspawners']);
    expect(table.stdout).toMatch(/^NAME {3,}SOURCE {3,}PHASE {3,}DISCOVERED {3,}TASKS {3,}AGE$/m);
    expect(table.stdout).toMatch(/^triage {3,}GitHub Issues {3,}- {3,}0 {3,}0 {3,}\S+$/m);
    const detail = (await cluster.run(['get', 'ts', 'triage', '-d'])).stdout;
    const field = (label: string, value: string) => `${`${label}:`.padEnd(20)}${value}\n`;
    for (const line of [
      field('Name', 'triage'),
      field('Workspace', 'widgets'),
      field('Source', 'GitHub Issues'),
      field('State', 'open'),
      field('Labels', 'bug, p1'),
      field('Task Type', 'codex'),
      field('Model', 'gpt-5'),
      field('Poll Interval', '5m'),
      field('Discovered', '0'),
      field('Tasks Created', '0'),
    ]) {
      expect(detail).toContain(line);
    }
  });

  it('suspends and resumes a task spawner with a merge patch, idempotently', async () => {
    cluster.api.client.create('taskspawners.kelos.dev', {
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'TaskSpawner',
      metadata: { name: 'nightly', namespace: 'default' },
      spec: {
        when: { cron: { schedule: '0 3 * * *' } },
        taskTemplate: { type: 'claude-code', credentials: { type: 'none' }, promptTemplate: 'Check deps' },
      },
    });
    expect((await cluster.run(['get', 'ts'])).stdout).toMatch(
      /^nightly {3,}cron: 0 3 \* \* \* {3,}- {3,}0 {3,}0 {3,}\S+$/m,
    );
    expect((await cluster.run(['suspend', 'taskspawner', 'nightly'])).stdout).toBe(
      'taskspawner/nightly suspended\n',
    );
    expect((await cluster.run(['suspend', 'ts', 'nightly'])).stdout).toBe(
      'taskspawner/nightly is already suspended\n',
    );
    const stored = cluster.api.client.get('taskspawners.kelos.dev', 'nightly', 'default') as unknown as {
      spec: { suspend: boolean; taskTemplate: { promptTemplate: string } };
    };
    expect(stored.spec.suspend).toBe(true);
    expect(stored.spec.taskTemplate.promptTemplate).toBe('Check deps');
    expect((await cluster.run(['resume', 'taskspawners', 'nightly'])).stdout).toBe(
      'taskspawner/nightly resumed\n',
    );
    expect((await cluster.run(['resume', 'ts', 'nightly'])).stdout).toBe(
      'taskspawner/nightly is not suspended\n',
    );
    const detail = await cluster.run(['get', 'taskspawner', 'nightly', '-d']);
    expect(detail.stdout).toContain(`${'Schedule:'.padEnd(20)}0 3 * * *\n`);
    const missing = await cluster.run(['suspend', 'ts', 'nope']);
    expect(missing.stderr).toBe('Error from server (NotFound): taskspawners.kelos.dev "nope" not found\n');
  });
});
