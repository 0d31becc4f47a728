/**
 * Context sources (spec §1.5 taskTemplate.contextSources, §10.3 step 6): per-item HTTP fetches whose
 * values become `{{.Context.<name>}}`, against a local HTTP server.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ContextSource } from '@kelos/shared';
import { applyJsonPath, fetchContextSources } from '@kelos/shared/context-sources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSource, issueItem, SpawnerHarness } from './helpers/spawner-harness.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const seen: Seen[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const path = req.url ?? '';
      if (path.startsWith('/issue/')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ data: { owner: 'team-a', tags: ['x', 'y'], meta: { z: 1, a: 2 }, n: null } }),
        );
      } else if (path === '/big') {
        res.end('x'.repeat(100));
      } else if (path === '/echo') {
        res.end(body);
      } else {
        res.writeHead(503);
        res.end('down');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const vars = { Number: 42, Title: 'Flaky test' };
const noSecrets = { readSecretKey: async () => undefined };
const http = (
  extra: Partial<NonNullable<ContextSource['http']>>,
  rest: Partial<ContextSource> = {},
): ContextSource => ({
  name: 'info',
  http: { url: `${base}/issue/{{.Number}}`, allowInsecure: true, ...extra },
  ...rest,
});

describe('applyJsonPath', () => {
  const body = JSON.stringify({ a: { s: 'text', n: 1.5, b: true, nil: null, obj: { z: 1, a: [1, 2] } } });
  it.each([
    ['$.a.s', 'text'],
    ['$.a.n', '1.5'],
    ['$.a.b', 'true'],
    ['$.a.nil', '<nil>'],
    ['$.a.obj', '{"a":[1,2],"z":1}'],
    ['$.a.obj.a[1]', '2'],
  ])('%s -> %s', (expression, expected) => {
    expect(applyJsonPath(body, expression)).toBe(expected);
  });

  it('fails on no match and on a body that is not JSON', () => {
    expect(() => applyJsonPath(body, '$.nope')).toThrow('evaluating JSONPath "$.nope": no match');
    expect(() => applyJsonPath('plain', '$.a')).toThrow(/^parsing JSON response for JSONPath filter: /);
  });
});

describe('fetchContextSources', () => {
  it('renders the URL and headers, adds Secret headers, and filters the response', async () => {
    seen.length = 0;
    const secrets = async (name: string, key: string) =>
      name === 'api' && key === 'token' ? 's3cret' : undefined;
    const values = await fetchContextSources(
      [
        http({
          headers: { 'X-Issue': '#{{.Number}}' },
          headersFrom: [{ header: 'Authorization', secretName: 'api', secretKey: 'token' }],
          responseFilter: { type: 'JSONPath', expression: '$.data.owner' },
        }),
        { name: 'raw', http: { url: `${base}/issue/1`, allowInsecure: true } },
      ],
      vars,
      { readSecretKey: secrets },
    );
    expect(values).toEqual({
      info: 'team-a',
      raw: '{"data":{"owner":"team-a","tags":["x","y"],"meta":{"z":1,"a":2},"n":null}}',
    });
    const request = seen.find((s) => s.url === '/issue/42');
    expect(request?.method).toBe('GET');
    expect(request?.headers['x-issue']).toBe('#42');
    expect(request?.headers.authorization).toBe('s3cret');
  });

  it('POSTs a rendered body as JSON unless told otherwise', async () => {
    seen.length = 0;
    const values = await fetchContextSources(
      [http({ url: `${base}/echo`, method: 'POST', body: '{"title":"{{.Title}}"}' })],
      vars,
      noSecrets,
    );
    expect(values.info).toBe('{"title":"Flaky test"}');
    expect(seen[0]?.headers['content-type']).toBe('application/json');
  });

  it.each([
    [() => http({ url: `${base}/down` }), `HTTP 503 from ${'BASE'}/down`],
    [() => http({ url: `${base}/big`, maxResponseBytes: 10 }), 'response body exceeds maxResponseBytes (10)'],
    [() => http({ allowInsecure: false }), 'HTTP URLs are not allowed without allowInsecure'],
    [
      () => http({ url: 'ftp://example.com/x' }),
      'unsupported URL scheme "ftp" (only http/https are allowed)',
    ],
    [() => http({ url: `${base}/{{.Nope}}` }), 'rendering URL template: template: url:1:'],
    [
      () => http({ headersFrom: [{ header: 'A', secretName: 'gone', secretKey: 'k' }] }),
      'resolving headers: key "k" not found in Secret "gone" (header "A")',
    ],
    [
      () => http({ responseFilter: { type: 'JSONPath', expression: '$.data.missing' } }),
      'evaluating JSONPath "$.data.missing": no match',
    ],
  ])('fails a Fail source: %#', async (source, message) => {
    await expect(fetchContextSources([source()], vars, noSecrets)).rejects.toThrow(
      `context source "info": ${message.replace('BASE', base)}`,
    );
  });

  it('gives an Ignore source an empty value and says why', async () => {
    const ignored: string[] = [];
    const values = await fetchContextSources(
      [http({ url: `${base}/down` }, { name: 'optional', failurePolicy: 'Ignore' }), http({})],
      vars,
      { ...noSecrets, onIgnoredFailure: (name, err) => ignored.push(`${name}: ${err.message}`) },
    );
    expect(values).toEqual({ optional: '', info: expect.stringContaining('team-a') });
    expect(ignored).toEqual([`optional: context source "optional": HTTP 503 from ${base}/down`]);
  });
});

describe('context sources in a cycle', () => {
  const h = new SpawnerHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('renders {{.Context.*}} into the Task, with headers from a Secret of the namespace', async () => {
    const ns = h.namespace();
    h.client.create('secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'ctx-api', namespace: ns },
      data: { token: Buffer.from('Bearer abc').toString('base64') },
    });
    h.createSpawner(ns, 'fixer', {
      taskTemplate: {
        ...h.spawnerTemplate(),
        promptTemplate: '{{.Title}} (owner: {{.Context.owner}})',
        contextSources: [
          {
            name: 'owner',
            http: {
              url: `${base}/issue/{{.Number}}`,
              allowInsecure: true,
              headersFrom: [{ header: 'Authorization', secretName: 'ctx-api', secretKey: 'token' }],
              responseFilter: { type: 'JSONPath', expression: '$.data.owner' },
            },
          },
        ],
      },
    });
    seen.length = 0;
    const source = new FakeSource();
    source.items = [issueItem(8)];
    await h.spawner(ns, 'fixer', { source }).runOnce();
    expect(h.task(ns, 'fixer-8')?.spec.prompt).toBe('Issue 8 (owner: team-a)');
    expect(seen.find((s) => s.url === '/issue/8')?.headers.authorization).toBe('Bearer abc');
  });

  it('creates no Task for an item whose Fail source fails, and records why', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'fixer', {
      taskTemplate: {
        ...h.spawnerTemplate(),
        contextSources: [{ name: 'status', http: { url: `${base}/down`, allowInsecure: true } }],
      },
    });
    const source = new FakeSource();
    source.items = [issueItem(9)];
    await expect(h.spawner(ns, 'fixer', { source }).runOnce()).rejects.toThrow(
      `item 9: fetching context sources: context source "status": HTTP 503 from ${base}/down`,
    );
    expect(h.taskNames(ns)).toEqual([]);
    expect(h.spawnerObject(ns, 'fixer').status?.message).toContain(
      '1 creation error(s): item 9: fetching context sources',
    );
  });
});
