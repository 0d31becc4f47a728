import { type ApiServer, isApiErrorCode, type KObject, startApiServer } from '@kelos/devcluster';
import type { V1Deployment } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildInstallManifests, type KubeManifest, uninstallOrder } from '../src/install/index.js';

/** The resource of each installed kind, as the in-process client names it. */
const RESOURCES: Record<string, string> = {
  CustomResourceDefinition: 'customresourcedefinitions.apiextensions.k8s.io',
  Namespace: 'namespaces',
  ServiceAccount: 'serviceaccounts',
  ClusterRole: 'clusterroles.rbac.authorization.k8s.io',
  ClusterRoleBinding: 'clusterrolebindings.rbac.authorization.k8s.io',
  Role: 'roles.rbac.authorization.k8s.io',
  RoleBinding: 'rolebindings.rbac.authorization.k8s.io',
  Deployment: 'deployments.apps',
};

let api: ApiServer;

// A fresh API server per test, so that each starts from an empty cluster.
beforeEach(async () => {
  api = await startApiServer({ port: 0 });
});

afterEach(async () => {
  await api.stop();
});

function resourceOf(m: KubeManifest): string {
  const resource = RESOURCES[m.kind];
  if (!resource) throw new Error(`no resource for ${m.kind}`);
  return resource;
}

/** Server-side apply with field manager `kelos` and force, as `kelos install` applies (cli spec §4.2). */
function apply(m: KubeManifest): KObject {
  const request = { type: 'apply' as const, patch: m, fieldManager: 'kelos', force: true };
  return api.client.patch(resourceOf(m), m.metadata.name, {
    ...request,
    ...(m.metadata.namespace ? { namespace: m.metadata.namespace } : {}),
  });
}

function install(version: string): KubeManifest[] {
  const manifests = buildInstallManifests({ version });
  for (const m of manifests) apply(m);
  return manifests;
}

function read(m: KubeManifest): KObject | undefined {
  try {
    return api.client.get(resourceOf(m), m.metadata.name, m.metadata.namespace);
  } catch (err) {
    if (isApiErrorCode(err, 404)) return undefined;
    throw err;
  }
}

const task = {
  apiVersion: 'kelos.dev/v1alpha1',
  kind: 'Task',
  metadata: { name: 'plan', namespace: 'default' },
  spec: {
    type: 'claude-code',
    prompt: 'Draft a plan.',
    credentials: { type: 'oauth', secretRef: { name: 'claude-oauth' } },
  },
};

describe('the install manifests on the dev cluster API server', () => {
  it('are accepted, in apply order, and serve the Kelos kinds', () => {
    for (const m of install('v1')) {
      expect(read(m)?.metadata.name, `${m.kind}/${m.metadata.name}`).toBe(m.metadata.name);
    }
    expect(api.client.create('tasks.kelos.dev', task).metadata.uid).toBeTruthy();
  });

  it('apply again unchanged is a no-op, and an upgrade changes only the Deployment', () => {
    const versions = () => install('v1').map((m) => read(m)?.metadata.resourceVersion);
    const installed = versions();
    expect(versions()).toEqual(installed);
    const upgraded = install('v2');
    const changed = upgraded.filter((m, i) => read(m)?.metadata.resourceVersion !== installed[i]);
    expect(changed.map((m) => m.kind)).toEqual(['Deployment']);
    const deployment = read(changed[0] as KubeManifest) as unknown as V1Deployment;
    expect(deployment.spec?.template.spec?.containers[0]?.image).toBe(
      'ghcr.io/kelos-dev/kelos-controller:v2',
    );
  });

  it('are all gone after deleting them in uninstall order', () => {
    for (const m of uninstallOrder(install('v1'))) {
      const namespace = m.metadata.namespace;
      api.client.delete(resourceOf(m), m.metadata.name, namespace ? { namespace } : {});
    }
    for (const m of buildInstallManifests()) {
      // What the API server still holds (a Namespace while it is emptied) must be on its way out.
      const left = read(m);
      expect(
        left === undefined || Boolean(left.metadata.deletionTimestamp),
        `${m.kind}/${m.metadata.name}`,
      ).toBe(true);
    }
    expect(() => api.client.resource('tasks.kelos.dev')).toThrow(/could not find the requested resource/);
  });
});
