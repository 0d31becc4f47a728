import type { V1Secret } from '@kubernetes/client-node';
import { CliError } from '../errors.js';
import { confirm } from '../prompt/confirm.js';
import type { Kube } from './client.js';
import { isNotFound } from './errors.js';

export type EnsureResult = 'created' | 'unchanged' | 'updated';

function decoded(secret: V1Secret): Record<string, string> {
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(secret.data ?? {}))
    data[key] = Buffer.from(value, 'base64').toString('utf8');
  return data;
}

function sameData(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

function encoded(data: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]),
  );
}

/**
 * Makes Secret `name` hold exactly `data` (cli spec §2.3): created when absent; left alone when it
 * already holds exactly that (so repeated runs never prompt); otherwise replaced after the user agrees
 * (or with `yes`), dropping every other key. Values never appear in any message.
 */
export async function ensureSecret(
  kube: Kube,
  namespace: string,
  name: string,
  data: Record<string, string>,
  options: { yes: boolean },
): Promise<EnsureResult> {
  let existing: V1Secret;
  try {
    existing = await kube.core.readNamespacedSecret({ name, namespace });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await kube.core.createNamespacedSecret({
      namespace,
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace },
        type: 'Opaque',
        data: encoded(data),
      },
    });
    return 'created';
  }
  if (sameData(decoded(existing), data)) return 'unchanged';
  if (!options.yes && !(await confirm(`Resource secret/${name} already exists. Override?`))) {
    throw new CliError('aborted', `Secret ${namespace}/${name} was left as it was; pass -y to override it.`);
  }
  await kube.core.replaceNamespacedSecret({
    name,
    namespace,
    body: { ...existing, data: encoded(data), stringData: undefined },
  });
  return 'updated';
}
