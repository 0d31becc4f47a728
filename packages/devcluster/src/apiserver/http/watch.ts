import type { Entry } from '../entry.js';
import type { WatchOptions } from '../ops/options.js';
import { startWatch } from '../ops/watch.js';
import { apiVersionOf, type ResourceType } from '../registry.js';
import { ApiError } from '../status.js';
import { toTable } from '../table.js';
import { queryBool, queryInt, type RequestContext, tableOptions, wantsTable } from './context.js';

/**
 * A watch over HTTP: newline-delimited `{"type","object"}` events on a chunked 200 response. A resume from
 * a resourceVersion older than the retained history gets an ERROR event carrying a 410 Expired Status,
 * which is what client-go reflectors and client-node informers react to by relisting.
 */
export function handleWatch(
  ctx: RequestContext,
  rt: ResourceType,
  namespace: string | undefined,
  name: string | undefined,
): void {
  const { req, res, query: q } = ctx;
  const opts: WatchOptions = {};
  if (namespace !== undefined) opts.namespace = namespace;
  const selectors = [q.get('fieldSelector'), name === undefined ? null : `metadata.name=${name}`].filter(
    Boolean,
  );
  if (selectors.length > 0) opts.fieldSelector = selectors.join(',');
  const ls = q.get('labelSelector');
  if (ls) opts.labelSelector = ls;
  const rv = q.get('resourceVersion');
  if (rv) opts.resourceVersion = rv;
  const table = wantsTable(req);
  const tableOpts = tableOptions(q);

  let open = true;
  const begin = () => {
    if (res.headersSent) return;
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
    res.socket?.setNoDelay(true);
    // Clients wait for the status line before they read events; send it even when no event is due yet.
    res.flushHeaders();
  };
  const write = (type: string, objectJson: string) => {
    if (!open) return;
    begin();
    res.write(`{"type":"${type}","object":${objectJson}}\n`);
  };
  const sink = (type: 'ADDED' | 'MODIFIED' | 'DELETED', entry: Entry) => {
    const view = ctx.cluster.view(rt, entry);
    if (table) {
      const meta = { resourceVersion: view.obj.metadata.resourceVersion };
      write(type, JSON.stringify(toTable([view.obj], rt.printerColumns, rt, meta, tableOpts)));
    } else {
      write(type, view.json);
    }
  };

  let stop: () => void;
  try {
    stop = startWatch(ctx.cluster, rt, opts, sink);
  } catch (err) {
    if (err instanceof ApiError && err.code === 410) {
      write('ERROR', JSON.stringify(err.toStatus()));
      res.end();
      return;
    }
    throw err;
  }
  begin();

  const timers: NodeJS.Timeout[] = [];
  const finish = () => {
    if (!open) return;
    open = false;
    stop();
    for (const t of timers) clearTimeout(t);
    res.end();
  };
  if (queryBool(q, 'allowWatchBookmarks')) {
    const bookmark = () => {
      const obj = {
        kind: rt.kind,
        apiVersion: apiVersionOf(rt),
        metadata: { resourceVersion: String(ctx.cluster.store.resourceVersion) },
      };
      write('BOOKMARK', JSON.stringify(obj));
    };
    timers.push(setInterval(bookmark, ctx.bookmarkIntervalMs));
  }
  const timeout = queryInt(q, 'timeoutSeconds');
  if (timeout !== undefined && timeout > 0) timers.push(setTimeout(finish, timeout * 1000));
  req.on('close', finish);
  res.on('close', finish);
}
