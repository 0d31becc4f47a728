import { randomInt, randomUUID } from 'node:crypto';
import { admit } from '../admission.js';
import type { Cluster } from '../cluster.js';
import { Entry } from '../entry.js';
import { nowTimestamp } from '../json.js';
import type { ResourceType } from '../registry.js';
import { alreadyExists, forbidden, notFound } from '../status.js';
import type { KObject } from '../types.js';
import type { WriteOptions } from './options.js';
import { prepareBody } from './typemeta.js';
import { recordManager } from './update.js';

// The alphabet Kubernetes' generateName suffixes use: no vowels, so no accidental words.
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return s;
}

function checkNamespace(c: Cluster, rt: ResourceType, namespace: string): void {
  const nsType = c.builtin('', 'namespaces');
  const ns = c.store.get(nsType.storageKey, undefined, namespace);
  if (!ns) throw notFound({ group: '', resource: 'namespaces', name: namespace });
  if (ns.obj.metadata.deletionTimestamp !== undefined) {
    throw forbidden(
      { group: rt.group, resource: rt.plural, name: '' },
      `unable to create new content in namespace ${namespace} because it is being terminated`,
    );
  }
}

/** Status is owned by controllers: a create starts from the empty status, as kube-apiserver's strategies do. */
function resetStatus(rt: ResourceType, obj: KObject): void {
  if (!rt.hasStatus || rt.plural === 'namespaces' || rt.plural === 'customresourcedefinitions') return;
  if (rt.group === '' && rt.plural === 'pods') obj.status = { phase: 'Pending', qosClass: 'BestEffort' };
  else if (rt.crdName !== undefined) delete obj.status;
  else obj.status = {};
}

/** Creates an object. `body` is consumed: it is mutated and, once stored, frozen. */
export function createObject(
  c: Cluster,
  rt: ResourceType,
  namespace: string | undefined,
  body: unknown,
  opts: WriteOptions & { applied?: boolean },
): Entry {
  const obj = prepareBody(rt, body, namespace);
  const meta = obj.metadata;
  if (meta.namespace) checkNamespace(c, rt, meta.namespace);
  for (const f of [
    'uid',
    'resourceVersion',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'generation',
  ]) {
    delete meta[f];
  }
  if (!meta.name && meta.generateName) {
    meta.name = `${meta.generateName}${randomSuffix()}`;
    for (let i = 0; i < 8 && c.store.get(rt.storageKey, meta.namespace, meta.name); i++) {
      meta.name = `${meta.generateName}${randomSuffix()}`;
    }
  }
  meta.uid = randomUUID();
  meta.creationTimestamp = nowTimestamp();
  if (rt.tracksGeneration) meta.generation = 1;
  resetStatus(rt, obj);
  let admitted = admit(c.registry, rt, obj, undefined, { strictFields: opts.fieldValidation === 'Strict' });
  if (opts.fieldManager && !opts.applied)
    admitted = recordManager(rt, undefined, admitted, opts.fieldManager);
  const name = admitted.metadata.name ?? '';
  if (c.store.get(rt.storageKey, admitted.metadata.namespace, name)) {
    throw alreadyExists({ group: rt.group, resource: rt.plural, name });
  }
  if (opts.dryRun) return new Entry(admitted);
  return c.commitPut(rt, admitted, undefined);
}
