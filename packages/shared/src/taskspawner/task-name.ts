import { createHash } from 'node:crypto';

/**
 * The longest Task name the rest of Kelos can carry: the name is also the Job's name and the value of the
 * `kelos.dev/task` and `batch.kubernetes.io/job-name` labels, and label values stop at 63 characters.
 */
export const MAX_SPAWNED_TASK_NAME_LENGTH = 63;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HASH_LENGTH = 10;

/**
 * The deterministic name of the Task for a work item (§10.3 step 4): lowercase `<spawner>-<item id>`.
 * That is also what dedup looks for, so it must never depend on anything but the two inputs.
 *
 * Names that are not a DNS-1123 label of at most 63 characters (a long spawner name, an item ID with
 * characters such as `_` or `/`) would make the API server refuse the Task or its Job. Those become a
 * readable prefix (invalid characters turned into `-`) followed by `-` and 10 hex digits of the SHA-256
 * of the lowercase name, so that two such items never share a name and the result still fits.
 */
export function spawnedTaskName(spawnerName: string, itemId: string): string {
  const name = `${spawnerName}-${itemId}`.toLowerCase();
  if (name.length <= MAX_SPAWNED_TASK_NAME_LENGTH && DNS1123_LABEL.test(name)) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, HASH_LENGTH);
  const prefix = name
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, MAX_SPAWNED_TASK_NAME_LENGTH - HASH_LENGTH - 1)
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return prefix ? `${prefix}-${hash}` : hash;
}
