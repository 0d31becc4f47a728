import { buildCrd, withDefaultTag } from '@kelos/shared';
import type { V1PolicyRule } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { buildControllerDeployment } from '../src/install/deployment.js';
import {
  buildInstallManifests,
  controllerArgs,
  INSTALL_NAMES,
  type InstallOptions,
  type KubeManifest,
  resolveInstallOptions,
  UNINSTALL_CUSTOM_RESOURCES,
  uninstallOrder,
} from '../src/install/index.js';

const id = (m: KubeManifest) => [m.kind, m.metadata.namespace, m.metadata.name].filter(Boolean).join('/');

function deployment(options: InstallOptions = {}) {
  return buildControllerDeployment(resolveInstallOptions(options));
}

function container(options: InstallOptions = {}) {
  const c = deployment(options).spec?.template.spec?.containers[0];
  if (!c) throw new Error('no container');
  return c;
}

function find(kind: string, name: string, manifests = buildInstallManifests()) {
  const m = manifests.find((o) => o.kind === kind && o.metadata.name === name);
  if (!m) throw new Error(`${kind}/${name} not built`);
  return m as KubeManifest & Record<string, unknown>;
}

function rulesOf(kind: string, name: string): V1PolicyRule[] {
  return find(kind, name).rules as V1PolicyRule[];
}

/** `group/resource[@names]` → verbs, the shape an RBAC review reads. */
function ruleTable(rules: V1PolicyRule[]): Record<string, string> {
  const table: Record<string, string> = {};
  for (const rule of rules) {
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        const names = rule.resourceNames ? `@${rule.resourceNames.join(',')}` : '';
        const key = `${group || 'core'}/${resource}${names}`;
        expect(table[key], `${key} granted twice`).toBeUndefined();
        table[key] = [...rule.verbs].sort().join(',');
      }
    }
  }
  return table;
}

describe('buildInstallManifests: objects', () => {
  it('builds exactly these objects, in apply order', () => {
    expect(buildInstallManifests().map(id)).toEqual([
      'CustomResourceDefinition/tasks.kelos.dev',
      'CustomResourceDefinition/workspaces.kelos.dev',
      'CustomResourceDefinition/agentconfigs.kelos.dev',
      'CustomResourceDefinition/taskspawners.kelos.dev',
      'Namespace/kelos-system',
      'ServiceAccount/kelos-system/kelos-controller',
      'ClusterRole/kelos-controller-role',
      'ClusterRole/kelos-spawner-role',
      'ClusterRoleBinding/kelos-controller-rolebinding',
      'Role/kelos-system/kelos-leader-election-role',
      'RoleBinding/kelos-system/kelos-leader-election-rolebinding',
      'Deployment/kelos-system/kelos-controller-manager',
    ]);
  });

  it('uses the apiVersion of each kind', () => {
    const versions = Object.fromEntries(buildInstallManifests().map((m) => [m.kind, m.apiVersion]));
    expect(versions).toEqual({
      CustomResourceDefinition: 'apiextensions.k8s.io/v1',
      Namespace: 'v1',
      ServiceAccount: 'v1',
      ClusterRole: 'rbac.authorization.k8s.io/v1',
      ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
      Role: 'rbac.authorization.k8s.io/v1',
      RoleBinding: 'rbac.authorization.k8s.io/v1',
      Deployment: 'apps/v1',
    });
  });

  it('takes the CRDs unchanged from @kelos/shared', () => {
    const crds = buildInstallManifests().filter((m) => m.kind === 'CustomResourceDefinition');
    const kinds = ['Task', 'Workspace', 'AgentConfig', 'TaskSpawner'] as const;
    expect(crds).toEqual(kinds.map((kind) => buildCrd(kind)));
  });

  it('labels every object it owns with name, component and part-of', () => {
    const labels = Object.fromEntries(
      buildInstallManifests()
        .filter((m) => m.kind !== 'CustomResourceDefinition')
        .map((m) => [id(m), m.metadata.labels]),
    );
    const as = (component: string) => ({
      'app.kubernetes.io/name': 'kelos',
      'app.kubernetes.io/component': component,
      'app.kubernetes.io/part-of': 'kelos',
    });
    expect(labels).toEqual({
      'Namespace/kelos-system': as('manager'),
      'ServiceAccount/kelos-system/kelos-controller': as('controller'),
      'ClusterRole/kelos-controller-role': as('controller'),
      'ClusterRole/kelos-spawner-role': as('spawner'),
      'ClusterRoleBinding/kelos-controller-rolebinding': as('controller'),
      'Role/kelos-system/kelos-leader-election-role': as('controller'),
      'RoleBinding/kelos-system/kelos-leader-election-rolebinding': as('controller'),
      'Deployment/kelos-system/kelos-controller-manager': as('controller'),
    });
  });

  it('is pure: equal on every call, and no two calls or objects share state', () => {
    const a = buildInstallManifests();
    const b = buildInstallManifests();
    expect(a).toEqual(b);
    (a[4]?.metadata.labels ?? {}).extra = 'x';
    expect(b[4]?.metadata.labels).not.toHaveProperty('extra');
    expect(buildInstallManifests()[4]?.metadata.labels).not.toHaveProperty('extra');
    const d = deployment();
    expect(d.metadata.labels).not.toBe(d.spec?.template.metadata?.labels);
  });

  it('shares no object with @kelos/shared or the options', () => {
    const resources = { limits: { memory: '1Gi' } };
    const [crd] = buildInstallManifests({ controllerResources: resources }) as [ReturnType<typeof buildCrd>];
    crd.spec.versions[0]?.additionalPrinterColumns?.push({ name: 'X', type: 'string', jsonPath: '.x' });
    expect(buildCrd('Task').spec.versions[0]?.additionalPrinterColumns?.map((c) => c.name)).not.toContain(
      'X',
    );
    expect(container({ controllerResources: resources }).resources).not.toBe(resources);
  });

  it('does not depend on options except in the Deployment', () => {
    const custom = buildInstallManifests({ version: 'v9.9.9', imagePullPolicy: 'Always' });
    const plain = buildInstallManifests();
    expect(custom.slice(0, -1)).toEqual(plain.slice(0, -1));
  });
});

describe('the controller Deployment', () => {
  it('runs one replica of the manager under the controller ServiceAccount', () => {
    const d = deployment();
    expect(d.spec?.replicas).toBe(1);
    expect(d.spec?.template.spec?.serviceAccountName).toBe('kelos-controller');
    expect(d.spec?.template.spec?.containers.map((c) => c.name)).toEqual(['manager']);
  });

  it('selects its pods by labels that do not change between versions', () => {
    const d = deployment({ version: 'v1.2.3' });
    expect(d.spec?.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'kelos',
      'app.kubernetes.io/component': 'controller',
    });
    expect(d.spec?.template.metadata?.labels).toMatchObject(d.spec?.selector.matchLabels ?? { none: '' });
    expect(deployment().spec?.selector).toEqual(d.spec?.selector);
  });

  it('passes the default flags, every image tagged latest', () => {
    const c = container();
    expect(c.image).toBe('ghcr.io/kelos-dev/kelos-controller:latest');
    expect(c.imagePullPolicy).toBeUndefined();
    expect(c.args).toEqual([
      '--leader-elect',
      '--version=latest',
      '--claude-code-image=ghcr.io/kelos-dev/claude-code:latest',
      '--codex-image=ghcr.io/kelos-dev/codex:latest',
      '--gemini-image=ghcr.io/kelos-dev/gemini:latest',
      '--opencode-image=ghcr.io/kelos-dev/opencode:latest',
      '--cursor-image=ghcr.io/kelos-dev/cursor:latest',
      '--spawner-image=ghcr.io/kelos-dev/kelos-spawner:latest',
    ]);
  });

  it('tags every untagged image with the version', () => {
    const c = container({ version: 'v0.4.0' });
    expect(c.image).toBe('ghcr.io/kelos-dev/kelos-controller:v0.4.0');
    expect(c.args).toEqual([
      '--leader-elect',
      '--version=v0.4.0',
      '--claude-code-image=ghcr.io/kelos-dev/claude-code:v0.4.0',
      '--codex-image=ghcr.io/kelos-dev/codex:v0.4.0',
      '--gemini-image=ghcr.io/kelos-dev/gemini:v0.4.0',
      '--opencode-image=ghcr.io/kelos-dev/opencode:v0.4.0',
      '--cursor-image=ghcr.io/kelos-dev/cursor:v0.4.0',
      '--spawner-image=ghcr.io/kelos-dev/kelos-spawner:v0.4.0',
    ]);
  });

  it('takes custom images, keeping their tag or digest', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const c = container({
      version: 'v2',
      controllerImage: 'localhost:5000/kelos/controller',
      spawnerImage: `registry.example.com/spawner@${digest}`,
      agentImages: { codex: 'example.com/my-codex:pinned', cursor: 'example.com/cursor' },
    });
    expect(c.image).toBe('localhost:5000/kelos/controller:v2');
    expect(c.args).toEqual([
      '--leader-elect',
      '--version=v2',
      '--claude-code-image=ghcr.io/kelos-dev/claude-code:v2',
      '--codex-image=example.com/my-codex:pinned',
      '--gemini-image=ghcr.io/kelos-dev/gemini:v2',
      '--opencode-image=ghcr.io/kelos-dev/opencode:v2',
      '--cursor-image=example.com/cursor:v2',
      `--spawner-image=registry.example.com/spawner@${digest}`,
    ]);
  });

  it('treats empty strings as unset, so CLI flag defaults pass straight through', () => {
    expect(
      container({ version: '', controllerImage: '', spawnerImage: '', agentImages: { codex: '' } }),
    ).toEqual(container());
  });

  it('applies the pull policy to its container and passes it for every image', () => {
    const c = container({ version: 'v1', imagePullPolicy: 'IfNotPresent' });
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    expect(c.args).toEqual([
      '--leader-elect',
      '--version=v1',
      '--claude-code-image=ghcr.io/kelos-dev/claude-code:v1',
      '--claude-code-image-pull-policy=IfNotPresent',
      '--codex-image=ghcr.io/kelos-dev/codex:v1',
      '--codex-image-pull-policy=IfNotPresent',
      '--gemini-image=ghcr.io/kelos-dev/gemini:v1',
      '--gemini-image-pull-policy=IfNotPresent',
      '--opencode-image=ghcr.io/kelos-dev/opencode:v1',
      '--opencode-image-pull-policy=IfNotPresent',
      '--cursor-image=ghcr.io/kelos-dev/cursor:v1',
      '--cursor-image-pull-policy=IfNotPresent',
      '--spawner-image=ghcr.io/kelos-dev/kelos-spawner:v1',
      '--spawner-image-pull-policy=IfNotPresent',
    ]);
  });

  it('passes the GitHub API base URL, then the extra flags last so they can override', () => {
    const args = container({
      githubApiBaseUrl: 'https://github.example.com/api/v3',
      controllerArgs: ['--zap-log-level=debug', '--version=override'],
    }).args;
    expect(args?.slice(-3)).toEqual([
      '--github-api-base-url=https://github.example.com/api/v3',
      '--zap-log-level=debug',
      '--version=override',
    ]);
  });

  it('forwards the spawner resources to the controller, checked and in canonical form', () => {
    const args = container({
      spawnerResourceRequests: ' cpu = 250m , memory=512Mi,',
      spawnerResourceLimits: 'memory=1Gi',
    }).args;
    expect(args?.slice(-2)).toEqual([
      '--spawner-resource-requests=cpu=250m,memory=512Mi',
      '--spawner-resource-limits=memory=1Gi',
    ]);
    expect(container({ spawnerResourceRequests: '' }).args?.join(' ')).not.toContain('spawner-resource');
    expect(() => buildInstallManifests({ spawnerResourceRequests: 'cpu' })).toThrow(
      '--spawner-resource-requests "cpu": invalid resource entry "cpu": expected name=quantity',
    );
    expect(() => buildInstallManifests({ spawnerResourceLimits: 'memory=lots' })).toThrow(
      '--spawner-resource-limits "memory=lots": invalid quantity "lots" for memory',
    );
  });

  it('rejects a version that is not an image tag, and a base URL that is not http(s)', () => {
    expect(() => buildInstallManifests({ version: 'v1 beta' })).toThrow(/invalid version "v1 beta"/);
    expect(() => buildInstallManifests({ version: '-rc1' })).toThrow(/invalid version/);
    expect(() => buildInstallManifests({ version: 'x'.repeat(129) })).toThrow(/invalid version/);
    expect(() => buildInstallManifests({ githubApiBaseUrl: 'github.example.com' })).toThrow(
      /invalid GitHub API base URL "github.example.com"/,
    );
    expect(() => buildInstallManifests({ githubApiBaseUrl: 'ftp://x' })).toThrow(/http\(s\)/);
  });

  it('serves metrics on 8080 and health probes on 8081', () => {
    const c = container();
    expect(c.ports).toEqual([
      { name: 'metrics', containerPort: 8080, protocol: 'TCP' },
      { name: 'health', containerPort: 8081, protocol: 'TCP' },
    ]);
    expect(c.livenessProbe).toEqual({
      httpGet: { path: '/healthz', port: 8081 },
      initialDelaySeconds: 15,
      periodSeconds: 20,
    });
    expect(c.readinessProbe).toEqual({
      httpGet: { path: '/readyz', port: 8081 },
      initialDelaySeconds: 5,
      periodSeconds: 10,
    });
  });

  it('runs as non-root, without capabilities, on a read-only root filesystem', () => {
    const d = deployment();
    expect(d.spec?.template.spec?.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container().securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    });
  });

  it('requests resources by default, and takes custom ones instead', () => {
    expect(container().resources).toEqual({
      requests: { cpu: '10m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    });
    const custom = { requests: { cpu: '1', memory: '1Gi' } };
    expect(container({ controllerResources: custom }).resources).toEqual(custom);
  });

  it('is what buildInstallManifests puts last', () => {
    const options: InstallOptions = { version: 'v3', imagePullPolicy: 'Never' };
    expect(buildInstallManifests(options).at(-1)).toEqual(deployment(options));
    expect(controllerArgs(resolveInstallOptions(options))).toEqual(container(options).args);
  });
});

describe('withDefaultTag', () => {
  it.each([
    ['ghcr.io/kelos-dev/codex', 'ghcr.io/kelos-dev/codex:v1'],
    ['codex', 'codex:v1'],
    ['codex:2', 'codex:2'],
    ['localhost:5000/codex', 'localhost:5000/codex:v1'],
    ['localhost:5000/codex:2', 'localhost:5000/codex:2'],
    [`codex@sha256:${'0'.repeat(64)}`, `codex@sha256:${'0'.repeat(64)}`],
    [`codex:2@sha256:${'0'.repeat(64)}`, `codex:2@sha256:${'0'.repeat(64)}`],
  ])('%s → %s', (image, want) => {
    expect(withDefaultTag(image, 'v1')).toBe(want);
  });
});

describe('RBAC', () => {
  it('grants the controller exactly what it needs', () => {
    expect(ruleTable(rulesOf('ClusterRole', 'kelos-controller-role'))).toEqual({
      'kelos.dev/tasks': 'delete,get,list,update,watch',
      'kelos.dev/taskspawners': 'get,list,update,watch',
      'kelos.dev/tasks/status': 'update',
      'kelos.dev/taskspawners/status': 'update',
      'kelos.dev/tasks/finalizers': 'update',
      'kelos.dev/taskspawners/finalizers': 'update',
      'kelos.dev/agentconfigs': 'get,list,watch',
      'kelos.dev/workspaces': 'get,list,watch',
      'batch/jobs': 'create,delete,get,list,watch',
      'apps/deployments': 'create,delete,get,list,update,watch',
      'batch/cronjobs': 'create,delete,get,list,update,watch',
      'core/pods': 'get,list,watch',
      'core/pods/log': 'get',
      'core/secrets': 'create,get,list,patch,update,watch',
      'core/configmaps': 'create,get,update',
      'core/events': 'create,patch',
      'core/serviceaccounts': 'create',
      'core/serviceaccounts@kelos-spawner': 'get',
      'rbac.authorization.k8s.io/rolebindings': 'create',
      'rbac.authorization.k8s.io/rolebindings@kelos-spawner': 'get',
      'rbac.authorization.k8s.io/clusterroles@kelos-spawner-role': 'bind',
    });
  });

  it('never lets the controller create or delete what it must not', () => {
    const table = ruleTable(rulesOf('ClusterRole', 'kelos-controller-role'));
    expect(table['kelos.dev/tasks']).not.toContain('create');
    expect(table['core/secrets']).not.toContain('delete');
    expect(table['core/pods']).not.toMatch(/create|delete/);
    expect(Object.keys(table).filter((k) => k.startsWith('rbac.authorization.k8s.io/clusterroles'))).toEqual([
      'rbac.authorization.k8s.io/clusterroles@kelos-spawner-role',
    ]);
  });

  it('gives kelos-spawner-role the spec’s rules', () => {
    expect(ruleTable(rulesOf('ClusterRole', 'kelos-spawner-role'))).toEqual({
      'core/secrets': 'get',
      'kelos.dev/taskspawners': 'get,list,watch',
      'kelos.dev/taskspawners/status': 'get,patch,update',
      'kelos.dev/tasks': 'create,delete,get,list,patch,update,watch',
    });
  });

  it('limits leader election to its Lease in kelos-system', () => {
    const role = find('Role', 'kelos-leader-election-role');
    expect(role.metadata.namespace).toBe('kelos-system');
    expect(ruleTable(role.rules as V1PolicyRule[])).toEqual({
      'coordination.k8s.io/leases': 'create',
      'coordination.k8s.io/leases@kelos-controller-leader-election': 'get,update',
    });
  });

  it('binds both controller roles to the controller ServiceAccount', () => {
    const subject = [{ kind: 'ServiceAccount', name: 'kelos-controller', namespace: 'kelos-system' }];
    const crb = find('ClusterRoleBinding', 'kelos-controller-rolebinding');
    expect(crb.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'kelos-controller-role',
    });
    expect(crb.subjects).toEqual(subject);
    const rb = find('RoleBinding', 'kelos-leader-election-rolebinding');
    expect(rb.metadata.namespace).toBe('kelos-system');
    expect(rb.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'kelos-leader-election-role',
    });
    expect(rb.subjects).toEqual(subject);
  });

  it('binds nothing to the spawner role at install time: the controller does, per namespace', () => {
    const bound = buildInstallManifests()
      .filter((m) => m.kind.endsWith('Binding'))
      .map((m) => (m as unknown as { roleRef: { name: string } }).roleRef.name);
    expect(bound).not.toContain(INSTALL_NAMES.spawnerClusterRole);
  });

  it('grants no wildcard anywhere', () => {
    const rules = buildInstallManifests().flatMap((m) => (m as { rules?: V1PolicyRule[] }).rules ?? []);
    expect(rules.length).toBeGreaterThan(20);
    for (const rule of rules) {
      for (const value of [
        ...(rule.apiGroups ?? []),
        ...(rule.resources ?? []),
        ...(rule.resourceNames ?? []),
        ...rule.verbs,
      ]) {
        expect(value).not.toContain('*');
      }
      expect(rule.nonResourceURLs).toBeUndefined();
    }
  });
});

describe('uninstall', () => {
  it('deletes the controller first, its RBAC and Namespace next, the CRDs last', () => {
    expect(uninstallOrder(buildInstallManifests()).map(id)).toEqual([
      'Deployment/kelos-system/kelos-controller-manager',
      'RoleBinding/kelos-system/kelos-leader-election-rolebinding',
      'Role/kelos-system/kelos-leader-election-role',
      'ClusterRoleBinding/kelos-controller-rolebinding',
      'ClusterRole/kelos-controller-role',
      'ClusterRole/kelos-spawner-role',
      'ServiceAccount/kelos-system/kelos-controller',
      'Namespace/kelos-system',
      'CustomResourceDefinition/tasks.kelos.dev',
      'CustomResourceDefinition/workspaces.kelos.dev',
      'CustomResourceDefinition/agentconfigs.kelos.dev',
      'CustomResourceDefinition/taskspawners.kelos.dev',
    ]);
  });

  it('does not depend on the input order, nor change the input', () => {
    const manifests = buildInstallManifests();
    const shuffled = [...manifests].reverse();
    const copy = [...shuffled];
    expect(uninstallOrder(shuffled).map((m) => m.kind)).toEqual(uninstallOrder(manifests).map((m) => m.kind));
    expect(shuffled).toEqual(copy);
  });

  it('deletes kinds it does not know first, as apply puts them last', () => {
    const extra: KubeManifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
    expect(uninstallOrder([...buildInstallManifests(), extra])[0]).toBe(extra);
  });

  it('removes TaskSpawners before Tasks, so no spawner re-creates a deleted Task', () => {
    expect(UNINSTALL_CUSTOM_RESOURCES).toEqual([
      { group: 'kelos.dev', version: 'v1alpha1', kind: 'TaskSpawner', plural: 'taskspawners' },
      { group: 'kelos.dev', version: 'v1alpha1', kind: 'Task', plural: 'tasks' },
      { group: 'kelos.dev', version: 'v1alpha1', kind: 'Workspace', plural: 'workspaces' },
      { group: 'kelos.dev', version: 'v1alpha1', kind: 'AgentConfig', plural: 'agentconfigs' },
    ]);
  });
});
