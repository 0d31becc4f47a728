import { type FieldError, invalidValue, notSupported, required } from './field-errors.js';
import { nowTimestamp } from './json.js';
import { type Registry, type ResourceType, STANDARD_VERBS, storageKeyOf } from './registry.js';
import type { PrinterColumn } from './table.js';
import type { KObject } from './types.js';
import { isObject } from './types.js';
import { validateMetadata } from './validation.js';

/** CustomResourceDefinitions: their validation, status conditions, and the resources they serve. */

interface CrdNames {
  plural: string;
  singular?: string;
  kind: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: { openAPIV3Schema?: unknown };
  subresources?: {
    status?: object;
    scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  };
  additionalPrinterColumns?: PrinterColumn[];
}

interface CrdSpec {
  group: string;
  names: CrdNames;
  scope: 'Namespaced' | 'Cluster';
  versions: CrdVersion[];
}

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime: string;
}

const crdSpec = (crd: KObject): CrdSpec => crd.spec as CrdSpec;

export function defaultCrd(crd: KObject): void {
  const spec = crd.spec;
  if (!isObject(spec) || !isObject(spec.names)) return;
  const names = spec.names as unknown as CrdNames;
  if (typeof names.kind === 'string') {
    names.singular ??= names.kind.toLowerCase();
    names.listKind ??= `${names.kind}List`;
  }
  if (Array.isArray(spec.versions)) {
    for (const v of spec.versions) if (isObject(v)) v.served ??= true;
  }
  spec.conversion ??= { strategy: 'None' };
}

export function validateCrd(rt: ResourceType, crd: KObject, old: KObject | undefined): FieldError[] {
  const errs = validateMetadata(rt, crd, old);
  const spec = crd.spec;
  if (!isObject(spec)) return [...errs, required('spec')];
  if (typeof spec.group !== 'string' || !spec.group) errs.push(required('spec.group'));
  const names = spec.names;
  if (!isObject(names)) errs.push(required('spec.names'));
  else {
    for (const f of ['plural', 'kind'] as const)
      if (typeof names[f] !== 'string' || !names[f]) errs.push(required(`spec.names.${f}`));
    if (typeof names.plural === 'string' && names.plural !== names.plural.toLowerCase()) {
      errs.push(invalidValue('spec.names.plural', names.plural, 'must be lowercase'));
    }
  }
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    errs.push(notSupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']));
  }
  if (isObject(names) && typeof spec.group === 'string') {
    const expected = `${String(names.plural)}.${spec.group}`;
    if (crd.metadata.name !== expected) {
      errs.push(invalidValue('metadata.name', crd.metadata.name, 'must be spec.names.plural+"."+spec.group'));
    }
  }
  const versions = spec.versions;
  if (!Array.isArray(versions) || versions.length === 0) {
    errs.push(required('spec.versions', 'must have exactly one version marked as storage version'));
    return errs;
  }
  let storage = 0;
  versions.forEach((v, i) => {
    if (!isObject(v)) return;
    if (typeof v.name !== 'string' || !v.name) errs.push(required(`spec.versions[${i}].name`));
    if (v.storage === true) storage++;
    const schema = isObject(v.schema) ? v.schema.openAPIV3Schema : undefined;
    if (!isObject(schema))
      errs.push(required(`spec.versions[${i}].schema.openAPIV3Schema`, 'schemas are required'));
  });
  if (storage !== 1) {
    errs.push(
      invalidValue('spec.versions', versions, 'must have exactly one version marked as storage version'),
    );
  }
  return errs;
}

/** The resources a CRD serves. */
export function crdResourceTypes(crd: KObject): ResourceType[] {
  const spec = crdSpec(crd);
  const names = spec.names;
  const storageVersion = spec.versions.find((v) => v.storage)?.name ?? spec.versions[0]?.name ?? '';
  return spec.versions
    .filter((v) => v.served)
    .map((v) => {
      const rt: ResourceType = {
        group: spec.group,
        version: v.name,
        plural: names.plural,
        singular: names.singular ?? names.kind.toLowerCase(),
        kind: names.kind,
        listKind: names.listKind ?? `${names.kind}List`,
        namespaced: spec.scope === 'Namespaced',
        shortNames: names.shortNames ?? [],
        categories: names.categories ?? [],
        verbs: STANDARD_VERBS,
        storageKey: storageKeyOf(spec.group, names.plural),
        storageVersion,
        hasStatus: v.subresources?.status !== undefined,
        hasLog: false,
        tracksGeneration: true,
        nameRule: 'subdomain',
        schema: v.schema?.openAPIV3Schema,
        crdName: crd.metadata.name ?? '',
      };
      if (v.subresources?.scale) rt.scale = v.subresources.scale;
      if (v.additionalPrinterColumns) rt.printerColumns = v.additionalPrinterColumns;
      return rt;
    });
}

/** A name clash with a resource another CRD (or a built-in) already serves in the same group. */
function nameConflict(registry: Registry, crd: KObject): string | undefined {
  const spec = crdSpec(crd);
  for (const rt of registry.all()) {
    if (rt.group !== spec.group || rt.crdName === crd.metadata.name) continue;
    if (rt.plural === spec.names.plural) return `"${rt.plural}" is already in use`;
    if (rt.kind === spec.names.kind) return `"${rt.kind}" is already in use`;
  }
  return undefined;
}

function condition(
  old: Condition[],
  type: string,
  ok: boolean,
  reason: string,
  message: string,
  now: string,
): Condition {
  const status = ok ? 'True' : 'False';
  const prev = old.find((c) => c.type === type);
  const lastTransitionTime = prev && prev.status === status ? prev.lastTransitionTime : now;
  return { type, status, reason, message, lastTransitionTime };
}

/**
 * Sets the status the apiextensions controllers would: accepted names, NamesAccepted and Established
 * conditions and stored versions. Returns whether the CRD can be served.
 */
export function computeCrdStatus(registry: Registry, crd: KObject, old: KObject | undefined): boolean {
  const spec = crdSpec(crd);
  const prevStatus = isObject(old?.status) ? old.status : {};
  const prevConditions = Array.isArray(prevStatus.conditions) ? (prevStatus.conditions as Condition[]) : [];
  const now = nowTimestamp();
  const clash = nameConflict(registry, crd);
  const stored = new Set<string>(
    Array.isArray(prevStatus.storedVersions) ? (prevStatus.storedVersions as string[]) : [],
  );
  const storageVersion = spec.versions.find((v) => v.storage)?.name;
  if (storageVersion) stored.add(storageVersion);
  const conditions = [
    clash
      ? condition(prevConditions, 'NamesAccepted', false, 'NameConflict', clash, now)
      : condition(prevConditions, 'NamesAccepted', true, 'NoConflicts', 'no conflicts found', now),
    clash
      ? condition(prevConditions, 'Established', false, 'NotAccepted', 'not all names are accepted', now)
      : condition(
          prevConditions,
          'Established',
          true,
          'InitialNamesAccepted',
          'the initial names have been accepted',
          now,
        ),
  ];
  const terminating = crd.metadata.deletionTimestamp !== undefined;
  if (terminating) {
    conditions.push(
      condition(
        prevConditions,
        'Terminating',
        true,
        'InstanceDeletionInProgress',
        'CustomResource deletion is in progress',
        now,
      ),
    );
  }
  crd.status = {
    conditions,
    acceptedNames: clash ? (prevStatus.acceptedNames ?? {}) : { ...spec.names },
    storedVersions: [...stored],
  };
  return !clash;
}
