import { quantityNanos, type ResourceList } from '@kelos/shared/resource-list';
import type { V1ResourceRequirements } from '@kubernetes/client-node';

function listsEqual(a: ResourceList | undefined, b: ResourceList | undefined): boolean {
  const left = a ?? {};
  const right = b ?? {};
  const names = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const name of names) {
    const l = left[name];
    const r = right[name];
    if (l === undefined || r === undefined) return false;
    const ln = quantityNanos(l);
    if (!(ln === undefined ? l === r : ln === quantityNanos(r))) return false;
  }
  return true;
}

type Resources = Pick<V1ResourceRequirements, 'requests' | 'limits'>;

/** Requests and limits equal by value; a missing list equals an empty one (the API server drops both). */
export function resourcesEqual(a: Resources | undefined, b: Resources | undefined): boolean {
  return listsEqual(a?.requests, b?.requests) && listsEqual(a?.limits, b?.limits);
}
