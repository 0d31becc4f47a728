import { isApiErrorCode } from '@kelos/devcluster';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { Cluster } from './cli-harness.js';

let cluster: Cluster;

beforeAll(async () => {
  cluster = await Cluster.start({ crds: false });
});

afterAll(async () => {
  await cluster.stop();
});

/** Whether an object is gone, or on its way out (a Namespace is emptied before it goes). */
function goneOrGoing(resource: string, name: string, namespace?: string): boolean {
  try {
    return Boolean(cluster.api.client.get(resource, name, namespace).metadata.deletionTimestamp);
  } catch (err) {
    if (isApiErrorCode(err, 404)) return true;
    throw err;
  }
}

describe('kelos install', () => {
  it('--dry-run prints the manifests and touches nothing', async () => {
    const r = await cluster.run([
      'install',
      '--dry-run',
      '--version',
      'v1.2.3',
      '--image-pull-policy',
      'IfNotPresent',
      '--kubeconfig',
      '/nonexistent',
    ]);
    expect(r.code).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(docs.map((d) => d.kind)).toEqual([
      ...Array(4).fill('CustomResourceDefinition'),
      'Namespace',
      'ServiceAccount',
      'ClusterRole',
      'ClusterRole',
      'ClusterRoleBinding',
      'Role',
      'RoleBinding',
      'Deployment',
    ]);
    const container = docs.at(-1).spec.template.spec.containers[0];
    expect(container.image).toBe('ghcr.io/kelos-dev/kelos-controller:v1.2.3');
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(r.stdout).not.toContain(':latest');
    expect(() => cluster.api.client.resource('tasks.kelos.dev')).toThrow();
    const get = await cluster.run(['get', 'tasks']);
    expect(get.code).toBe(1);
    expect(get.stderr).toContain("Is Kelos installed in this cluster? Install it with 'kelos install'.");
  });

  it('rejects a bad pull policy or version as usage errors', async () => {
    const policy = await cluster.run(['install', '--image-pull-policy', 'Sometimes']);
    expect(policy.code).toBe(2);
    const version = await cluster.run(['install', '--dry-run', '--version', 'bad tag']);
    expect(version.code).toBe(2);
    expect(version.stderr).toContain('Error: invalid version "bad tag"');
  });

  it('forwards --spawner-resource-requests/limits to the controller, and rejects a malformed list', async () => {
    const r = await cluster.run([
      'install',
      '--dry-run',
      '--spawner-resource-requests',
      'cpu=250m,memory=512Mi',
      '--spawner-resource-limits',
      'memory=1Gi',
    ]);
    expect(r.code).toBe(0);
    const args: string[] = parseAllDocuments(r.stdout).at(-1)?.toJS().spec.template.spec.containers[0].args;
    expect(args).toContain('--spawner-resource-requests=cpu=250m,memory=512Mi');
    expect(args).toContain('--spawner-resource-limits=memory=1Gi');
    const bad = await cluster.run(['install', '--dry-run', '--spawner-resource-limits', 'memory=512MB']);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr.split('\n')[0]).toBe(
      'Error: --spawner-resource-limits "memory=512MB": invalid quantity "512MB" for memory: expected e.g. 250m, 1.5, 512Mi or 1G',
    );
  });

  it('applies everything, waits for the CRDs, and reports a controller that never becomes available', async () => {
    const r = await cluster.run(['install', '--wait-timeout', '2s']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('Installing kelos CRDs\nInstalling kelos controller (version: latest)\n');
    expect(r.stderr).toContain('Waiting for the CRDs to be established');
    expect(r.stderr).toContain(
      'Error: timed out after 2s waiting for deployment kelos-system/kelos-controller-manager to become available (0/1 replicas available)',
    );
    expect(r.stderr).toContain('--no-wait');
    expect(
      cluster.api.client.get('deployments.apps', 'kelos-controller-manager', 'kelos-system').metadata.name,
    ).toBeTruthy();
    expect(cluster.api.client.resource('tasks.kelos.dev').plural).toBe('tasks');
  });

  it('is idempotent, and --no-wait skips the controller wait', async () => {
    const before = cluster.api.client.get('deployments.apps', 'kelos-controller-manager', 'kelos-system')
      .metadata.resourceVersion;
    const r = await cluster.run(['install', '--no-wait']);
    expect(r).toMatchObject({
      code: 0,
      stdout:
        'Installing kelos CRDs\nInstalling kelos controller (version: latest)\nKelos installed successfully\n',
    });
    expect(
      cluster.api.client.get('deployments.apps', 'kelos-controller-manager', 'kelos-system').metadata
        .resourceVersion,
    ).toBe(before);
  });
});

describe('kelos uninstall', () => {
  it('deletes the Kelos objects in every namespace, then the controller, then the CRDs; twice is fine', async () => {
    cluster.createNamespace('team');
    cluster.createTask('left-over', 'team');
    const r = await cluster.run(['uninstall']);
    expect(r.stderr).not.toContain('Error');
    expect(r).toMatchObject({
      code: 0,
      stdout:
        'Removing kelos custom resources\nRemoving kelos controller\nRemoving kelos CRDs\nKelos uninstalled successfully\n',
    });
    expect(r.stderr).toContain('Waiting for custom resources to be deleted');
    expect(goneOrGoing('deployments.apps', 'kelos-controller-manager', 'kelos-system')).toBe(true);
    expect(goneOrGoing('clusterroles.rbac.authorization.k8s.io', 'kelos-controller-role')).toBe(true);
    expect(goneOrGoing('namespaces', 'kelos-system')).toBe(true);
    for (const crd of ['tasks', 'workspaces', 'agentconfigs', 'taskspawners']) {
      expect(goneOrGoing('customresourcedefinitions.apiextensions.k8s.io', `${crd}.kelos.dev`)).toBe(true);
    }
    const again = await cluster.run(['uninstall']);
    expect(again.code).toBe(0);
  });
});
