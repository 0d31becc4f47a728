export { PatchError } from './errors.js';
export { applyJsonPatch } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export {
  applyServerSideApply,
  type ManagedFieldsEntry,
  type ManagedFieldsOperation,
  recordUpdateManager,
  type ServerSideApplyOptions,
  type ServerSideApplyResult,
} from './server-side-apply.js';
export { applyStrategicMergePatch } from './strategic-merge-patch.js';
export { type GroupKind, supportsStrategicMergePatch } from './strategies.js';
