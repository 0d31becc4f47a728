import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ApiServer, startApiServer } from '@kelos/devcluster';
import { buildCrd, KIND_ORDER } from '@kelos/shared';

/** The built CLI: the tests run it exactly as users do, as a separate process. */
export const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
/** The `kelos` bin: MAIN bundled by scripts/bundle.mjs. */
export const BUNDLE = fileURLToPath(new URL('../dist/bundle/kelos.js', import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(MAIN)) {
    throw new Error(`${MAIN} does not exist: build the CLI first (tsc -b packages/cli, or pnpm test)`);
  }
}

/** The newest compiled module of dist/, the bundle aside. */
function newestCompiled(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && path !== dirname(BUNDLE)) newest = Math.max(newest, newestCompiled(path));
    else if (entry.name.endsWith('.js')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** The bundle, no older than the compiled code it bundles: else its tests would test stale code. */
export function assertBundled(): void {
  assertBuilt();
  if (!existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < newestCompiled(dirname(MAIN))) {
    throw new Error(
      `${BUNDLE} is missing or older than the compiled CLI: run node packages/cli/scripts/bundle.mjs (pnpm build does)`,
    );
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed; stdin is empty otherwise. */
  input?: string;
}

/** A temporary HOME, so no test reads or writes the real ~/.kelos or ~/.kube. */
export class Sandbox {
  readonly home: string;

  constructor() {
    this.home = mkdtempSync(join(tmpdir(), 'kelos-cli-test-'));
  }

  path(...parts: string[]): string {
    return join(this.home, ...parts);
  }

  write(relative: string, content: string): string {
    const path = this.path(relative);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
    return path;
  }

  /** The environment of the CLI process: nothing from the test runner's but PATH. */
  env(extra: Record<string, string | undefined> = {}): Record<string, string> {
    const env: Record<string, string | undefined> = { PATH: process.env.PATH, HOME: this.home, ...extra };
    return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  }

  run(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
    assertBuilt();
    return spawnAsync(process.execPath, [MAIN, ...args], {
      env: this.env(options.env),
      input: options.input,
    });
  }

  remove(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}

/**
 * A child process, run asynchronously: the API server lives in the test's own process, so a
 * synchronous spawn of anything that talks to it would wait forever on a server that cannot answer.
 */
export function spawnAsync(
  command: string,
  args: readonly string[],
  options: { env: Record<string, string>; input?: string | undefined },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** An API server with the Kelos CRDs, and a sandbox whose ~/.kube/config points at it. */
export class Cluster extends Sandbox {
  private constructor(readonly api: ApiServer) {
    super();
    api.writeKubeconfig(this.path('.kube', 'config'));
  }

  /** With `crds: false`, an empty cluster, as `kelos install` finds one. */
  static async start(options: { crds?: boolean } = {}): Promise<Cluster> {
    const api = await startApiServer({ port: 0 });
    if (options.crds !== false)
      for (const kind of KIND_ORDER)
        api.client.create('customresourcedefinitions.apiextensions.k8s.io', buildCrd(kind) as never);
    return new Cluster(api);
  }

  createNamespace(name: string): void {
    this.api.client.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }

  /** A minimal Task (codex, credentials none), created directly in the API server. */
  createTask(name: string, namespace = 'default'): void {
    this.api.client.create('tasks.kelos.dev', {
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'Task',
      metadata: { name, namespace },
      spec: { type: 'codex', prompt: 'p', credentials: { type: 'none' } },
    });
  }

  async stop(): Promise<void> {
    await this.api.stop();
    this.remove();
  }
}
