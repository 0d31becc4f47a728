import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** Git run on the host with a fixed identity and no user or system config, so results never vary. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: cwd,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'Kelos E2E',
      GIT_AUTHOR_EMAIL: 'e2e@kelos.dev',
      GIT_COMMITTER_NAME: 'Kelos E2E',
      GIT_COMMITTER_EMAIL: 'e2e@kelos.dev',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export interface GitServer {
  /** `http://127.0.0.1:PORT`: pods share the host's network, so they reach it as the tests do. */
  readonly baseUrl: string;
  /**
   * Creates `<name>.git` (bare) with one commit on `main` adding README.md; returns its clone URL. A name
   * like `acme/widgets` gives a GitHub-shaped URL (`<baseUrl>/acme/widgets.git`) that Kelos reads as
   * owner and repository.
   */
  createRepo(name: string): string;
  /** Path of a bare repository on the host, for assertions with `git`. */
  repoPath(name: string): string;
  stop(): Promise<void>;
}

/**
 * Splits a CGI response into status, headers and body: `git http-backend` writes headers (with an
 * optional `Status:` line) then a blank line, as any CGI program does.
 */
function relayCgi(child: ReturnType<typeof spawn>, res: ServerResponse): void {
  let head = Buffer.alloc(0);
  let headersSent = false;
  child.stdout?.on('data', (chunk: Buffer) => {
    if (headersSent) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const crlf = head.indexOf('\r\n\r\n');
    const lf = head.indexOf('\n\n');
    const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf : lf;
    if (end < 0) return;
    const sepLength = end === crlf ? 4 : 2;
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const key = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (key.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else headers[key] = value;
    }
    res.writeHead(status, headers);
    headersSent = true;
    res.write(head.subarray(end + sepLength));
  });
  child.on('close', (code) => {
    if (!headersSent) res.writeHead(code === 0 ? 200 : 500);
    res.end();
  });
}

/**
 * Serves bare repositories over smart HTTP with `git http-backend`: the Workspace schema only accepts
 * http(s), git:// or git@ URLs, so a `file://` path cannot stand in for a remote.
 */
export async function startGitServer(parent: string): Promise<GitServer> {
  const root = mkdtempSync(join(parent, 'git-'));
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const header = (name: string) => {
      const value = req.headers[name];
      return typeof value === 'string' ? value : '';
    };
    const child = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        // http-backend enables receive-pack (push) only for an authenticated user.
        REMOTE_USER: 'kelos-e2e',
        REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: header('content-type'),
        // Git gzips large request bodies; http-backend inflates them when told.
        HTTP_CONTENT_ENCODING: header('content-encoding'),
        HTTP_GIT_PROTOCOL: header('git-protocol'),
        ...(req.headers['content-length'] !== undefined && { CONTENT_LENGTH: header('content-length') }),
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    req.pipe(child.stdin);
    relayCgi(child, res);
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const repoPath = (name: string) => join(root, `${name}.git`);
  return {
    baseUrl,
    repoPath,
    createRepo(name) {
      const seed = join(root, `${name}.seed`);
      mkdirSync(seed, { recursive: true });
      git(seed, 'init', '-q', '-b', 'main');
      writeFileSync(join(seed, 'README.md'), `# ${name}\n`);
      git(seed, 'add', 'README.md');
      git(seed, 'commit', '-q', '-m', 'Initial commit');
      git(root, 'clone', '-q', '--bare', seed, repoPath(name));
      return `${baseUrl}/${name}.git`;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
