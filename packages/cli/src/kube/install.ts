import type { V1CustomResourceDefinition, V1Deployment } from '@kubernetes/client-node';
import { PatchStrategy } from '@kubernetes/client-node';
import {
  INSTALL_NAMES,
  type KubeManifest,
  UNINSTALL_CUSTOM_RESOURCES,
  uninstallOrder,
} from '../install/index.js';
import type { Kube } from './client.js';
import { isNotFound } from './errors.js';
import { pollUntil } from './wait.js';

/** The field manager of everything `kelos install` writes (cli spec §4.2). */
const FIELD_MANAGER = 'kelos';

export function isCrd(manifest: KubeManifest): boolean {
  return manifest.kind === 'CustomResourceDefinition';
}

/** Server-side apply with force: idempotent, and it takes over fields an older install set. */
export async function applyAll(kube: Kube, manifests: readonly KubeManifest[]): Promise<void> {
  for (const manifest of manifests) {
    await kube.objects.patch(
      manifest,
      undefined,
      undefined,
      FIELD_MANAGER,
      true,
      PatchStrategy.ServerSideApply,
    );
  }
}

function established(crd: V1CustomResourceDefinition): boolean {
  return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true;
}

/** Waits until every CRD serves its kind; returns the names still not Established at the deadline. */
export async function waitForCrds(kube: Kube, names: readonly string[], deadline: number): Promise<string[]> {
  let pending = [...names];
  await pollUntil(
    async () => {
      const states = await Promise.all(
        pending.map(async (name) =>
          established(await kube.extensions.readCustomResourceDefinition({ name })),
        ),
      );
      pending = pending.filter((_, i) => !states[i]);
      return pending.length === 0;
    },
    deadline,
    500,
  );
  return pending;
}

/** kubectl's `rollout status` test: the current generation is rolled out and its replicas available. */
export function deploymentAvailable(deployment: V1Deployment): boolean {
  const { metadata, spec, status } = deployment;
  const replicas = spec?.replicas ?? 1;
  return (
    (status?.observedGeneration ?? 0) >= (metadata?.generation ?? 0) &&
    (status?.updatedReplicas ?? 0) >= replicas &&
    (status?.replicas ?? 0) === (status?.updatedReplicas ?? 0) &&
    (status?.availableReplicas ?? 0) >= replicas
  );
}

/** Waits for the controller Deployment; returns a summary of its state when it is not available. */
export async function waitForController(kube: Kube, deadline: number): Promise<string | undefined> {
  const name = INSTALL_NAMES.controllerDeployment;
  const namespace = INSTALL_NAMES.namespace;
  let summary = '';
  const ready = await pollUntil(
    async () => {
      const deployment = await kube.apps.readNamespacedDeployment({ name, namespace });
      summary = `${deployment.status?.availableReplicas ?? 0}/${deployment.spec?.replicas ?? 1} replicas available`;
      return deploymentAvailable(deployment);
    },
    deadline,
    1000,
  );
  return ready ? undefined : summary;
}

/** Deletes the objects in uninstall order; one already gone counts as deleted (idempotent). */
export async function deleteAll(kube: Kube, manifests: readonly KubeManifest[]): Promise<void> {
  for (const manifest of uninstallOrder(manifests)) {
    try {
      await kube.objects.delete(manifest);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

interface CustomObject {
  metadata: { name: string; namespace?: string; deletionTimestamp?: string };
}

/** Kelos objects left in any namespace, by plural; kinds whose CRD is gone have none. */
export async function remainingCustomResources(kube: Kube): Promise<Map<string, CustomObject[]>> {
  const left = new Map<string, CustomObject[]>();
  for (const { group, version, plural } of UNINSTALL_CUSTOM_RESOURCES) {
    try {
      const list = (await kube.custom.listClusterCustomObject({ group, version, plural })) as {
        items: CustomObject[];
      };
      if (list.items.length > 0) left.set(plural, list.items);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return left;
}

/**
 * Deletes every Kelos object in every namespace (cli spec §4.3 step 2), in UNINSTALL_CUSTOM_RESOURCES
 * order; objects already terminating are left to their finalizers.
 */
export async function deleteCustomResources(kube: Kube): Promise<number> {
  let deleted = 0;
  const left = await remainingCustomResources(kube);
  for (const { group, version, plural } of UNINSTALL_CUSTOM_RESOURCES) {
    for (const item of left.get(plural) ?? []) {
      if (item.metadata.deletionTimestamp) continue;
      try {
        await kube.custom.deleteNamespacedCustomObject({
          group,
          version,
          plural,
          namespace: item.metadata.namespace ?? 'default',
          name: item.metadata.name,
        });
        deleted++;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }
  return deleted;
}
