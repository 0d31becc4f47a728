import { stringify } from 'yaml';
import { KINDS, type KindName } from '../constants/api.js';
import { buildCrd } from './build-crd.js';
import { KIND_ORDER } from './kinds.js';

const HEADER = '# Generated from packages/shared/src/schema by `pnpm generate`. Do not edit.\n';

export function crdFileName(kind: KindName): string {
  return `kelos.dev_${KINDS[kind].plural}.yaml`;
}

export function renderCrdYaml(kind: KindName): string {
  return HEADER + stringify(buildCrd(kind), { lineWidth: 0 });
}

/** All four CRDs in one multi-document YAML, in a stable order. */
export function renderAllCrdsYaml(): string {
  return HEADER + KIND_ORDER.map((kind) => stringify(buildCrd(kind), { lineWidth: 0 })).join('---\n');
}
