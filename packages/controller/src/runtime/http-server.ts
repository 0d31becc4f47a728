import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Answers a request and returns true, or returns false to let the server answer 404. */
export type Route = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface HttpServer {
  readonly port: number;
  close(): Promise<void>;
}

/** A plain HTTP endpoint for probes and scrapes; port 0 picks a free port (tests). */
export function startHttpServer(port: number, host: string, route: Route): Promise<HttpServer> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && route(req, res)) return;
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Scrapers keep connections alive; they must not hold the shutdown open.
            server.closeAllConnections();
          }),
      });
    });
  });
}
