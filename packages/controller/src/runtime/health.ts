import { type HttpServer, startHttpServer } from './http-server.js';

export interface HealthChecks {
  /** /readyz answers 200 only while this returns true (the manager: every cache synced). */
  ready: () => boolean;
}

/**
 * Serves /healthz (the process is alive and its event loop answers) and /readyz. A replica that is not the
 * leader is ready as soon as its caches are synced, as with controller-runtime, so a rollout does not wait
 * on leadership.
 */
export function serveHealth(checks: HealthChecks, port = 8081, host = '0.0.0.0'): Promise<HttpServer> {
  return startHttpServer(port, host, (req, res) => {
    const path = req.url?.split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok\n');
      return true;
    }
    if (path === '/readyz') {
      const ok = checks.ready();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' });
      res.end(ok ? 'ok\n' : 'caches not synced\n');
      return true;
    }
    return false;
  });
}
