import type { ResourceType } from '../registry.js';
import { apiVersionOf } from '../registry.js';
import { badRequest } from '../status.js';
import type { KObject } from '../types.js';
import { isObject } from '../types.js';

/**
 * Checks a request body against the endpoint it was sent to and fills in what may be omitted, as
 * kube-apiserver's decoder does. The object is stored with the storage version's apiVersion.
 */
export function prepareBody(rt: ResourceType, body: unknown, namespace: string | undefined): KObject {
  if (!isObject(body)) throw badRequest(`the body of the request must be a ${rt.kind} object`);
  const obj = body as KObject;
  const apiVersion = apiVersionOf(rt);
  if (obj.apiVersion !== undefined && obj.apiVersion !== apiVersion) {
    throw badRequest(
      `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${apiVersion})`,
    );
  }
  if (obj.kind !== undefined && obj.kind !== rt.kind) {
    throw badRequest(
      `the kind in the data (${String(obj.kind)}) does not match the expected kind (${rt.kind})`,
    );
  }
  obj.apiVersion = apiVersionOf({ group: rt.group, version: rt.storageVersion });
  obj.kind = rt.kind;
  if (!isObject(obj.metadata)) obj.metadata = {};
  const meta = obj.metadata;
  if (rt.namespaced) {
    if (meta.namespace && namespace && meta.namespace !== namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    const ns = namespace ?? meta.namespace;
    if (!ns) throw badRequest('the server could not find the requested resource: a namespace is required');
    meta.namespace = ns;
  } else {
    delete meta.namespace;
  }
  delete meta.selfLink;
  return obj;
}
