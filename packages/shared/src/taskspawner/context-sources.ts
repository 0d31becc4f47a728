/**
 * Context sources, shared by the spawner and `kelos run --from`. Its own entry point
 * (`@kelos/shared/context-sources`) rather than part of `@kelos/shared/taskspawner`: jsonpath-plus is
 * needed only where context sources are fetched, not by everything that reads a TaskSpawner.
 */
import { JSONPath } from 'jsonpath-plus';
import type { ContextSource } from '../schema/taskspawner.js';
import { parseTemplate } from '../template/index.js';

const DEFAULT_TIMEOUT_SECONDS = 10;
const DEFAULT_MAX_RESPONSE_BYTES = 32768;

/** Reads one key of a Secret in the TaskSpawner's namespace; undefined when the Secret or key is missing. */
export type SecretKeyReader = (secretName: string, key: string) => Promise<string | undefined>;

export interface ContextFetchDeps {
  readSecretKey: SecretKeyReader;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Told about sources that failed under `failurePolicy: Ignore`. */
  onIgnoredFailure?: (source: string, error: Error) => void;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** A template of a context source (url, body, header), rendered like the Task's with missingkey=error. */
function render(name: string, source: string, vars: Record<string, unknown>): string {
  return parseTemplate(source, name).execute(vars, { missingKey: 'error' });
}

function checkScheme(url: string, allowInsecure: boolean | undefined): void {
  const protocol = URL.canParse(url) ? new URL(url).protocol : undefined;
  if (protocol === undefined) throw new Error(`invalid URL "${url}"`);
  if (protocol === 'https:' || (protocol === 'http:' && allowInsecure)) return;
  if (protocol === 'http:') throw new Error(`HTTP URLs are not allowed without allowInsecure: ${url}`);
  throw new Error(`unsupported URL scheme "${protocol.slice(0, -1)}" (only http/https are allowed)`);
}

async function headersOf(
  http: NonNullable<ContextSource['http']>,
  vars: Record<string, unknown>,
  readSecretKey: SecretKeyReader,
): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(http.headers ?? {})) {
    try {
      headers[name] = render(`header-${name}`, value, vars);
    } catch (err) {
      throw new Error(`rendering header "${name}": ${messageOf(err)}`);
    }
  }
  for (const from of http.headersFrom ?? []) {
    const value = await readSecretKey(from.secretName, from.secretKey);
    if (value === undefined) {
      throw new Error(
        `key "${from.secretKey}" not found in Secret "${from.secretName}" (header "${from.header}")`,
      );
    }
    headers[from.header] = value;
  }
  return headers;
}

/** The body, refusing more than `max` bytes without reading them all. */
async function readLimited(response: Response, max: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    if (size > max) throw new Error(`response body exceeds maxResponseBytes (${max})`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** JSON with object keys sorted, as Go's encoding/json writes a map. */
function goJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** `responseFilter`: a JSONPath over the JSON body; strings as they are, other scalars printed, the rest as JSON. */
export function applyJsonPath(body: string, expression: string): string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new Error(`parsing JSON response for JSONPath filter: ${messageOf(err)}`);
  }
  let value: unknown;
  try {
    value = JSONPath({ path: expression, json: json as object, wrap: false });
  } catch (err) {
    throw new Error(`evaluating JSONPath "${expression}": ${messageOf(err)}`);
  }
  if (value === undefined) throw new Error(`evaluating JSONPath "${expression}": no match`);
  if (typeof value === 'string') return value;
  if (value === null) return '<nil>';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return goJson(value);
}

async function fetchOne(
  source: ContextSource,
  vars: Record<string, unknown>,
  deps: ContextFetchDeps,
  signal: AbortSignal,
): Promise<string> {
  const http = source.http;
  if (!http) throw new Error('no source kind configured (http is required)');
  let url: string;
  try {
    url = render('url', http.url, vars);
  } catch (err) {
    throw new Error(`rendering URL template: ${messageOf(err)}`);
  }
  checkScheme(url, http.allowInsecure);
  const headers = await headersOf(http, vars, deps.readSecretKey).catch((err: unknown) => {
    throw new Error(`resolving headers: ${messageOf(err)}`);
  });
  let body: string | undefined;
  if (http.body) {
    try {
      body = render('body', http.body, vars);
    } catch (err) {
      throw new Error(`rendering body template: ${messageOf(err)}`);
    }
  }
  const method = http.method ?? 'GET';
  if (
    method === 'POST' &&
    body !== undefined &&
    !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')
  ) {
    headers['Content-Type'] = 'application/json';
  }
  const timeout = AbortSignal.timeout((http.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000);
  let response: Response;
  try {
    response = await (deps.fetch ?? fetch)(url, {
      method,
      headers,
      ...(body !== undefined && { body }),
      signal: AbortSignal.any([signal, timeout]),
    });
  } catch (err) {
    throw new Error(`HTTP request failed: ${messageOf(err)}`);
  }
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status} from ${url}`);
  }
  const text = await readLimited(response, http.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
  return http.responseFilter ? applyJsonPath(text, http.responseFilter.expression) : text;
}

/**
 * Fetches a TaskTemplate's context sources for one work item, in parallel, into `{{.Context.<name>}}`
 * values (spec §1.5, §10.3 step 6). A source with `failurePolicy: Fail` (the default) that fails fails them
 * all, and the item gets no Task this cycle; with `Ignore` its value is empty.
 * @throws `context source "<name>": <why>`.
 */
export async function fetchContextSources(
  sources: readonly ContextSource[],
  vars: Record<string, unknown>,
  deps: ContextFetchDeps,
): Promise<Record<string, string>> {
  const abort = new AbortController();
  const values = await Promise.all(
    sources.map(async (source) => {
      try {
        return await fetchOne(source, vars, deps, abort.signal);
      } catch (err) {
        const error = new Error(`context source "${source.name}": ${messageOf(err)}`);
        if (source.failurePolicy === 'Ignore') {
          if (!abort.signal.aborted) deps.onIgnoredFailure?.(source.name, error);
          return '';
        }
        abort.abort();
        throw error;
      }
    }),
  );
  return Object.fromEntries(sources.map((s, i) => [s.name, values[i] ?? '']));
}
