/**
 * `kelos run --from taskspawner/<name>` (cli spec §5.3), the built CLI against the API server: companion
 * flags, template values, context sources (from an HTTP server in this process) and the Task it creates.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { assertBundled, BUNDLE, Cluster, spawnAsync } from './cli-harness.js';

let cluster: Cluster;
let server: Server;
let base = '';
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];

/** GitHub sources need a Workspace to know the repository. */
const GITHUB_TEMPLATE = { type: 'codex', credentials: { type: 'none' }, workspaceRef: { name: 'widgets' } };

beforeAll(async () => {
  cluster = await Cluster.start();
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    if (req.url?.startsWith('/owner/')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { owner: 'team-a' } }));
    } else {
      res.writeHead(503);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cluster.api.client.create('secrets', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'api-token', namespace: 'default' },
    data: { token: Buffer.from('s3cret').toString('base64') },
  });
  spawner('issues', {
    when: { githubIssues: { repo: 'git@github.com:acme/widgets.git' } },
    taskTemplate: {
      type: 'codex',
      credentials: { type: 'api-key', secretRef: { name: 'codex-key' } },
      workspaceRef: { name: 'widgets' },
      promptTemplate: '{{.Kind}} run {{.ID}}: {{.Title}}',
      branch: 'kelos/{{.ID}}',
      metadata: { labels: { team: 'core' }, annotations: { trigger: '{{.TriggerType}}' } },
    },
    maxConcurrency: 1,
    suspend: true,
  });
  spawner('nightly', {
    when: { cron: { schedule: '0 3 * * *' } },
    taskTemplate: {
      type: 'claude-code',
      credentials: { type: 'none' },
      promptTemplate: 'Tick {{.Time}} of {{.Schedule}} for {{.Who}}',
    },
  });
  spawner('numbered', {
    when: { githubIssues: {} },
    taskTemplate: { ...GITHUB_TEMPLATE, promptTemplate: 'Fix #{{.Number}}' },
  });
  spawner('enriched', {
    when: { githubIssues: {} },
    taskTemplate: {
      ...GITHUB_TEMPLATE,
      promptTemplate: '{{.Title}} for {{.Context.owner}}{{.Context.down}}',
      contextSources: [
        {
          name: 'owner',
          http: {
            url: `${base}/owner/{{.ID}}`,
            allowInsecure: true,
            headersFrom: [{ header: 'Authorization', secretName: 'api-token', secretKey: 'token' }],
            responseFilter: { type: 'JSONPath', expression: '$.data.owner' },
          },
        },
        { name: 'down', http: { url: `${base}/down`, allowInsecure: true }, failurePolicy: 'Ignore' },
      ],
    },
  });
});

afterAll(async () => {
  await cluster.stop();
  server.close();
});

function spawner(name: string, spec: object): void {
  cluster.api.client.create('taskspawners.kelos.dev', {
    apiVersion: 'kelos.dev/v1alpha1',
    kind: 'TaskSpawner',
    metadata: { name, namespace: 'default' },
    spec,
  } as never);
}

interface StoredTask {
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: unknown[];
  };
  spec: Record<string, unknown>;
}

const taskNames = () =>
  cluster.api.client.list('tasks.kelos.dev').items.map((t) => (t.metadata as { name: string }).name);

describe('run --from: the command line', () => {
  it.each([
    [['-p', 'x'], '--prompt'],
    [['--prompt-file', 'p.md'], '--prompt-file'],
    [['-t', 'codex'], '--type'],
    [['--credential-type', 'none'], '--credential-type'],
    [['--env', 'A=1'], '--env'],
    [['--agent-config', 'a'], '--agent-config'],
    [['-y'], '--yes'],
    [['--ttl', '1h'], '--ttl'],
  ])('%j cannot be used with --from', async (flags, flag) => {
    const r = await cluster.run(['run', '--from', 'ts/issues', ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`Error: ${flag} cannot be used with --from`);
  });

  it('needs --from for --values, and a taskspawner/<name> reference', async () => {
    const values = await cluster.run(['run', '-p', 'x', '-f', 'values.yaml']);
    expect(values).toMatchObject({ code: 2, stdout: '' });
    expect(values.stderr.split('\n')[0]).toBe('Error: --values requires --from');
    const ref = await cluster.run(['run', '--from', 'issues']);
    expect(ref.stderr.split('\n')[0]).toBe('Error: invalid --from "issues": expected taskspawner/<name>');
    const missing = await cluster.run(['run', '--from', 'taskspawner/nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('Error from server (NotFound): taskspawners.kelos.dev "nope" not found\n');
  });
});

describe('run --from: the Task', () => {
  it("dry-run prints the spawner's Task with values from a file, and creates nothing", async () => {
    const values = cluster.write('values.yaml', 'Title: Fix the login page\nID: ignored-by-name\n');
    const r = await cluster.run(['run', '--from', 'taskspawner/issues', '--values', values, '--dry-run']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const task = parse(r.stdout) as StoredTask;
    expect(task.metadata.name).toMatch(/^issues-manual-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(task.metadata.labels).toEqual({ team: 'core' });
    expect(task.metadata.ownerReferences).toBeUndefined();
    expect(task.metadata.annotations).toEqual({
      trigger: 'manual',
      'kelos.dev/created-from-taskspawner': 'issues',
      'kelos.dev/trigger-type': 'manual',
      'kelos.dev/trigger-time': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    expect(task.spec).toEqual({
      type: 'codex',
      prompt: 'Manual run ignored-by-name: Fix the login page',
      credentials: { type: 'api-key', secretRef: { name: 'codex-key' } },
      workspaceRef: { name: 'widgets' },
      branch: 'kelos/ignored-by-name',
      upstreamRepo: 'acme/widgets',
    });
    expect(taskNames()).toEqual([]);
  });

  it('creates the Task under --name, whatever the spawner’s suspension and limits', async () => {
    const r = await cluster.run(['run', '--from', 'ts/issues', '--name', 'by-hand']);
    expect(r).toMatchObject({ code: 0, stdout: 'task/by-hand created\n', stderr: '' });
    const stored = cluster.api.client.get('tasks.kelos.dev', 'by-hand', 'default') as unknown as StoredTask;
    expect(stored.spec.prompt).toMatch(/^Manual run manual-\w{5}: Manual run of TaskSpawner issues$/);
    expect(stored.metadata.annotations?.['kelos.dev/created-from-taskspawner']).toBe('issues');
    expect(stored.metadata.labels?.['kelos.dev/taskspawner']).toBeUndefined();
    const again = await cluster.run(['run', '--from', 'ts/issues']);
    expect(again.stdout).toMatch(/^task\/issues-manual-\w{5} created\n$/);
  });

  it('gives a cron run Time and Schedule, over the values from stdin', async () => {
    const r = await cluster.run(['run', '--from', 'ts/nightly', '-f', '-', '--dry-run'], {
      input: 'Who: ops\nSchedule: never\n',
    });
    expect(r.code).toBe(0);
    expect((parse(r.stdout) as StoredTask).spec.prompt).toMatch(
      /^Tick \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ of 0 3 \* \* \* for ops$/,
    );
  });

  it('fails with one line on a variable a manual run lacks, and tells where to give it', async () => {
    const r = await cluster.run(['run', '--from', 'ts/numbered']);
    expect(r.code).toBe(1);
    const [error, hint, rest] = r.stderr.split('\n');
    expect(error).toMatch(
      /^Error: taskspawner\/numbered: failed to render prompt template: failed to execute template: .*"Number"/,
    );
    expect(hint).toContain('--values');
    expect(rest).toBe('');
    const fixed = await cluster.run(['run', '--from', 'ts/numbered', '-f', '-', '--dry-run'], {
      input: 'Number: 42\n',
    });
    expect((parse(fixed.stdout) as StoredTask).spec.prompt).toBe('Fix #42');
  });
});

describe('run --from: context sources', () => {
  it('fetches them with Secret headers into .Context; an ignored failure is a warning', async () => {
    const r = await cluster.run(['run', '--from', 'ts/enriched', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`Warning: context source "down": HTTP 503 from ${base}/down\n`);
    expect((parse(r.stdout) as StoredTask).spec.prompt).toBe('Manual run of TaskSpawner enriched for team-a');
    const owner = seen.find((s) => s.url.startsWith('/owner/'));
    expect(owner?.url).toMatch(/^\/owner\/manual-\w{5}$/);
    expect(owner?.headers.authorization).toBe('s3cret');
  });

  it('does the same from the kelos bin, whose context source fetcher is a chunk of its own', async () => {
    assertBundled();
    const r = await spawnAsync(process.execPath, [BUNDLE, 'run', '--from', 'ts/enriched', '--dry-run'], {
      env: cluster.env(),
    });
    expect(r.stderr).toBe(`Warning: context source "down": HTTP 503 from ${base}/down\n`);
    expect((parse(r.stdout) as StoredTask).spec.prompt).toBe('Manual run of TaskSpawner enriched for team-a');
    // Printing YAML lazily once left the bin with no yaml `stringify` (esbuild's CommonJS interop).
    const plain = await spawnAsync(
      process.execPath,
      [BUNDLE, 'run', '-p', 'x', '--credential-type', 'none', '--name', 'plain', '--dry-run'],
      { env: cluster.env() },
    );
    expect(plain).toMatchObject({ code: 0, stderr: '' });
    expect((parse(plain.stdout) as StoredTask).metadata.name).toBe('plain');
  });

  it('fails when a required source fails, naming the source, never a Secret value', async () => {
    spawner('broken', {
      when: { githubIssues: {} },
      taskTemplate: {
        ...GITHUB_TEMPLATE,
        contextSources: [
          {
            name: 'owner',
            http: {
              url: `${base}/owner/x`,
              allowInsecure: true,
              headersFrom: [{ header: 'Authorization', secretName: 'api-token', secretKey: 'missing' }],
            },
          },
        ],
      },
    });
    const r = await cluster.run(['run', '--from', 'ts/broken']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(
      'Error: taskspawner/broken: fetching context sources: context source "owner": resolving headers: key "missing" not found in Secret "api-token" (header "Authorization")',
    );
    expect(r.stderr).not.toContain('s3cret');
    expect(taskNames().some((n) => n.startsWith('broken'))).toBe(false);
  });
});
