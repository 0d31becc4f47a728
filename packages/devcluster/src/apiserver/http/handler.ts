import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenAuthenticator } from '../auth.js';
import type { Cluster } from '../cluster.js';
import type { PodLogProvider } from '../logs.js';
import { ApiError, unauthorized } from '../status.js';
import type { RequestContext } from './context.js';
import { coreVersions, group, groupList, resourceList, SERVER_VERSION } from './discovery.js';
import {
  OPENAPI_V2_PROTOBUF_TYPE,
  openapiV2Json,
  openapiV2Protobuf,
  openapiV3Root,
  openapiV3Spec,
} from './openapi.js';
import { handleResource } from './resources.js';
import { sendError, sendObject } from './respond.js';
import { parseRoute } from './route.js';

export interface HandlerDeps {
  cluster: Cluster;
  auth: TokenAuthenticator;
  podLogs: () => PodLogProvider | undefined;
  bookmarkIntervalMs: number;
  serverAddress: () => string;
}

function pathNotFound(path: string): ApiError {
  return new ApiError(404, 'NotFound', `the server could not find the requested resource (path ${path})`, {
    causes: [{ reason: 'UnexpectedServerResponse', message: '404 page not found' }],
  });
}

function orNotFound(doc: object | undefined, path: string): object {
  if (!doc) throw pathNotFound(path);
  return doc;
}

async function dispatch(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const pathname = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1));
  const route = parseRoute(pathname);
  // Like kube-apiserver's default RBAC, version and health endpoints are public.
  if (
    route?.kind !== 'version' &&
    route?.kind !== 'health' &&
    !deps.auth.authenticate(req.headers.authorization)
  ) {
    throw unauthorized();
  }
  if (!route) throw pathNotFound(pathname);
  const reg = deps.cluster.registry;
  if (route.kind !== 'resource' && req.method !== 'GET' && req.method !== 'HEAD') {
    throw new ApiError(405, 'MethodNotAllowed', `${req.method} is not allowed on ${pathname}`);
  }
  switch (route.kind) {
    case 'version':
      return sendObject(res, 200, SERVER_VERSION);
    case 'health':
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    case 'coreVersions':
      return sendObject(res, 200, coreVersions(deps.serverAddress()));
    case 'groupList':
      return sendObject(res, 200, groupList(reg));
    case 'group':
      return sendObject(res, 200, orNotFound(group(reg, route.group), pathname));
    case 'resourceList':
      return sendObject(res, 200, orNotFound(resourceList(reg, route.group, route.version), pathname));
    case 'openapiV3':
      return sendObject(res, 200, openapiV3Root(reg));
    case 'openapiV3Spec':
      return sendObject(res, 200, orNotFound(openapiV3Spec(reg, route.group, route.version), pathname));
    case 'openapiV2': {
      if ((req.headers.accept ?? '').includes('protobuf')) {
        const body = openapiV2Protobuf();
        res.writeHead(200, { 'content-type': OPENAPI_V2_PROTOBUF_TYPE, 'content-length': body.length });
        res.end(body);
        return;
      }
      return sendObject(res, 200, openapiV2Json());
    }
    case 'resource': {
      const rt = reg.get(route.group, route.version, route.plural);
      if (!rt || (!rt.namespaced && route.namespace !== undefined)) throw pathNotFound(pathname);
      const ctx: RequestContext = {
        cluster: deps.cluster,
        req,
        res,
        query,
        podLogs: deps.podLogs(),
        bookmarkIntervalMs: deps.bookmarkIntervalMs,
      };
      return handleResource(ctx, {
        rt,
        namespace: rt.namespaced ? route.namespace : undefined,
        name: route.name,
        subresource: route.subresource,
        watchPath: route.watch,
      });
    }
  }
}

/** The request listener of the API server. */
export function createHandler(deps: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    dispatch(deps, req, res).catch((err: unknown) => {
      // Drain an unread body so the keep-alive connection stays usable for the next request.
      req.resume();
      sendError(res, err);
    });
  };
}
