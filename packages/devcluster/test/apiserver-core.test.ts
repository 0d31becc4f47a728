import {
  AppsV1Api,
  BatchV1Api,
  CoordinationV1Api,
  CoreV1Api,
  EventsV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  RbacAuthorizationV1Api,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badRequest } from '../src/index.js';
import { errorOf, rawRequest, startTestCluster, type TestCluster } from './helpers/apiserver.js';

let c: TestCluster;
let core: CoreV1Api;

beforeAll(async () => {
  c = await startTestCluster();
  core = c.kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await c.stop();
});

const pod = (name: string, extra: Record<string, unknown> = {}) => ({
  metadata: { name, ...extra },
  spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] },
});

describe('auth and discovery', () => {
  it('answers 401 Status without a valid token', async () => {
    for (const token of [null, 'wrong']) {
      const res = await rawRequest(c, '/api/v1/namespaces', { token });
      expect(res.status).toBe(401);
      expect(res.json()).toMatchObject({
        kind: 'Status',
        status: 'Failure',
        reason: 'Unauthorized',
        code: 401,
      });
    }
    expect((await rawRequest(c, '/version', { token: null })).status).toBe(200);
  });

  it('serves legacy discovery documents', async () => {
    expect((await rawRequest(c, '/api')).json()).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = (await rawRequest(c, '/apis')).json() as { groups: { name: string }[] };
    expect(groups.groups.map((g) => g.name)).toEqual(
      expect.arrayContaining([
        'apps',
        'batch',
        'events.k8s.io',
        'coordination.k8s.io',
        'rbac.authorization.k8s.io',
        'apiextensions.k8s.io',
      ]),
    );
    const v1 = (await rawRequest(c, '/api/v1')).json() as {
      resources: { name: string; shortNames?: string[] }[];
    };
    const names = v1.resources.map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining(['pods', 'pods/status', 'pods/log', 'configmaps', 'namespaces', 'events']),
    );
    expect(v1.resources.find((r) => r.name === 'configmaps')?.shortNames).toEqual(['cm']);
    expect((await rawRequest(c, '/apis/batch')).json()).toMatchObject({
      kind: 'APIGroup',
      preferredVersion: { version: 'v1' },
    });
    expect((await rawRequest(c, '/apis/nope/v1')).status).toBe(404);
    expect((await rawRequest(c, '/openapi/v3')).json()).toHaveProperty(['paths', 'api/v1']);
  });
});

describe('core resources', () => {
  it('has the system namespaces, each with a default ServiceAccount', async () => {
    const list = await core.listNamespace();
    expect(list.items.map((n) => n.metadata?.name)).toEqual(['default', 'kube-public', 'kube-system']);
    expect(list.items[0]?.status?.phase).toBe('Active');
    await core.createNamespace({ body: { metadata: { name: 'team-a' } } });
    const sa = await core.readNamespacedServiceAccount({ name: 'default', namespace: 'team-a' });
    expect(sa.metadata?.uid).toBeTruthy();
  });

  it('does CRUD on configmaps with uid, timestamps and resourceVersions', async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'cm1' }, data: { a: '1' } },
    });
    expect(created).toMatchObject({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { name: 'cm1', namespace: 'default' },
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    const got = await core.readNamespacedConfigMap({ name: 'cm1', namespace: 'default' });
    expect(got.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);
    got.data = { a: '2' };
    const updated = await core.replaceNamespacedConfigMap({ name: 'cm1', namespace: 'default', body: got });
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(
      Number(created.metadata?.resourceVersion),
    );
    expect(updated.metadata?.uid).toBe(created.metadata?.uid);

    const stale = await errorOf(
      core.replaceNamespacedConfigMap({ name: 'cm1', namespace: 'default', body: got }),
    );
    expect(stale.code).toBe(409);
    expect(stale.body).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on configmaps "cm1": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: 'cm1', kind: 'configmaps' },
    });
    const dup = await errorOf(
      core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'cm1' } } }),
    );
    expect(dup.code).toBe(409);
    expect(dup.body).toMatchObject({ reason: 'AlreadyExists', message: 'configmaps "cm1" already exists' });

    const deleted = await rawRequest(c, '/api/v1/namespaces/default/configmaps/cm1', { method: 'DELETE' });
    expect(deleted.json()).toMatchObject({
      kind: 'ConfigMap',
      metadata: { name: 'cm1', uid: created.metadata?.uid },
    });
    const gone = await errorOf(core.readNamespacedConfigMap({ name: 'cm1', namespace: 'default' }));
    expect(gone.code).toBe(404);
    expect(gone.body).toMatchObject({ reason: 'NotFound', message: 'configmaps "cm1" not found' });
  });

  it('supports generateName', async () => {
    const a = await core.createNamespacedSecret({
      namespace: 'default',
      body: { metadata: { generateName: 'tok-' }, stringData: { k: 'v' } },
    });
    expect(a.metadata?.name).toMatch(/^tok-[a-z0-9]{5}$/);
    expect(a.data).toEqual({ k: Buffer.from('v').toString('base64') });
    expect(a.type).toBe('Opaque');
  });

  it('validates names and required fields with Invalid causes', async () => {
    const bad = await errorOf(
      core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'Bad_Name' } } }),
    );
    expect(bad.code).toBe(422);
    expect(bad.body).toMatchObject({ reason: 'Invalid', details: { name: 'Bad_Name', kind: 'ConfigMap' } });
    expect(String(bad.body.message)).toMatch(
      /^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
    );
    const noContainers = await errorOf(
      core.createNamespacedPod({
        namespace: 'default',
        body: { metadata: { name: 'p' }, spec: { containers: [] } },
      }),
    );
    expect(noContainers.body).toMatchObject({
      message: 'Pod "p" is invalid: spec.containers: Required value',
      details: {
        causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }],
      },
    });
    const ns = await errorOf(core.createNamespace({ body: { metadata: { name: 'a.b' } } }));
    expect(ns.code).toBe(422);
    const missingNs = await errorOf(
      core.createNamespacedConfigMap({ namespace: 'nope', body: { metadata: { name: 'x' } } }),
    );
    expect(missingNs.body).toMatchObject({ code: 404, message: 'namespaces "nope" not found' });
  });

  it('defaults pods, jobs and deployments', async () => {
    const p = await core.createNamespacedPod({ namespace: 'default', body: pod('web') });
    expect(p.spec).toMatchObject({
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      serviceAccountName: 'default',
    });
    expect(p.spec?.containers[0]).toMatchObject({
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
    });
    expect(p.status?.phase).toBe('Pending');

    const batch = c.kc.makeApiClient(BatchV1Api);
    const job = await batch.createNamespacedJob({
      namespace: 'default',
      body: {
        metadata: { name: 'j1' },
        spec: {
          template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'alpine' }] } },
        },
      },
    });
    expect(job.spec).toMatchObject({ backoffLimit: 6, completions: 1, parallelism: 1 });
    expect(job.spec?.template.metadata?.labels?.['job-name']).toBe('j1');
    expect(job.metadata?.generation).toBe(1);
    const badJob = await errorOf(
      batch.createNamespacedJob({
        namespace: 'default',
        body: {
          metadata: { name: 'j2' },
          spec: { template: { spec: { containers: [{ name: 'c', image: 'a' }] } } },
        },
      }),
    );
    expect(badJob.body.message).toBe(
      'Job.batch "j2" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    );

    const apps = c.kc.makeApiClient(AppsV1Api);
    const dep = await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'd1' },
        spec: {
          selector: { matchLabels: { app: 'd' } },
          template: {
            metadata: { labels: { app: 'd' } },
            spec: { containers: [{ name: 'c', image: 'nginx' }] },
          },
        },
      },
    });
    expect(dep.spec?.replicas).toBe(1);
    expect(dep.spec?.template.spec?.containers[0]?.imagePullPolicy).toBe('Always');
    const scaled = await apps.replaceNamespacedDeploymentScale({
      name: 'd1',
      namespace: 'default',
      body: { metadata: { name: 'd1' }, spec: { replicas: 3 } },
    });
    expect(scaled.spec?.replicas).toBe(3);
    const d = await apps.readNamespacedDeployment({ name: 'd1', namespace: 'default' });
    expect(d.spec?.replicas).toBe(3);
    expect(d.metadata?.generation).toBe(2);
  });

  it('serves the other built-in resources', async () => {
    const batch = c.kc.makeApiClient(BatchV1Api);
    await batch.createNamespacedCronJob({
      namespace: 'default',
      body: {
        metadata: { name: 'cj' },
        spec: {
          schedule: '*/5 * * * *',
          jobTemplate: {
            spec: {
              template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'a' }] } },
            },
          },
        },
      },
    });
    const badCron = await errorOf(
      batch.createNamespacedCronJob({
        namespace: 'default',
        body: {
          metadata: { name: 'cj2' },
          spec: {
            schedule: 'nope',
            jobTemplate: {
              spec: {
                template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'a' }] } },
              },
            },
          },
        },
      }),
    );
    expect(badCron.code).toBe(422);
    await core.createNamespacedService({
      namespace: 'default',
      body: { metadata: { name: 'svc' }, spec: { ports: [{ port: 80 }] } },
    });
    expect((await core.readNamespacedService({ name: 'svc', namespace: 'default' })).spec?.type).toBe(
      'ClusterIP',
    );
    await core.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { name: 'ev1' },
        involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
        reason: 'Started',
        message: 'hi',
      },
    });
    await c.kc.makeApiClient(EventsV1Api).createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { name: 'ev2' },
        eventTime: new Date(),
        reason: 'X',
        action: 'Y',
        reportingController: 'c',
        reportingInstance: 'i',
      } as never,
    });
    const coord = c.kc.makeApiClient(CoordinationV1Api);
    await coord.createNamespacedLease({
      namespace: 'kube-system',
      body: { metadata: { name: 'leader' }, spec: { holderIdentity: 'me', leaseDurationSeconds: 15 } },
    });
    const rbac = c.kc.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createClusterRole({
      body: {
        metadata: { name: 'system:kelos:reader' },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
      },
    });
    await rbac.createNamespacedRole({ namespace: 'default', body: { metadata: { name: 'r' }, rules: [] } });
    await rbac.createNamespacedRoleBinding({
      namespace: 'default',
      body: {
        metadata: { name: 'rb' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
        subjects: [],
      },
    });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: 'crb' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:kelos:reader' },
      },
    });
    expect((await rbac.readClusterRole({ name: 'system:kelos:reader' })).rules?.[0]?.verbs).toEqual(['get']);
    const objects = KubernetesObjectApi.makeApiClient(c.kc);
    const lease = await objects.read({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'leader', namespace: 'kube-system' },
    });
    expect(lease.metadata?.uid).toBeTruthy();
    const events = await core.listNamespacedEvent({
      namespace: 'default',
      fieldSelector: 'involvedObject.name=web,reason=Started',
    });
    expect(events.items.map((e) => e.metadata?.name)).toEqual(['ev1']);
  });

  it('keeps status out of main-resource writes and spec out of status writes', async () => {
    const p = await core.readNamespacedPod({ name: 'web', namespace: 'default' });
    p.status = { phase: 'Running' };
    p.metadata = { ...p.metadata, labels: { tier: 'web' } };
    const afterMain = await core.replaceNamespacedPod({ name: 'web', namespace: 'default', body: p });
    expect(afterMain.status?.phase).toBe('Pending');
    expect(afterMain.metadata?.labels).toEqual({ tier: 'web' });
    afterMain.status = { phase: 'Running', podIP: '127.0.0.1' };
    afterMain.metadata = { ...afterMain.metadata, labels: { tier: 'changed' } };
    const afterStatus = await core.replaceNamespacedPodStatus({
      name: 'web',
      namespace: 'default',
      body: afterMain,
    });
    expect(afterStatus.status?.phase).toBe('Running');
    expect(afterStatus.metadata?.labels).toEqual({ tier: 'web' });
    const patched = await core.patchNamespacedPodStatus(
      { name: 'web', namespace: 'default', body: { status: { phase: 'Succeeded' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.status?.phase).toBe('Succeeded');
  });

  it('patches with merge, JSON and strategic merge patches', async () => {
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'pt', labels: { a: '1' } }, data: { x: '1' } },
    });
    const merged = await core.patchNamespacedConfigMap(
      {
        name: 'pt',
        namespace: 'default',
        body: { metadata: { labels: { b: '2' } }, data: { x: null, y: '2' } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merged.metadata?.labels).toEqual({ a: '1', b: '2' });
    expect(merged.data).toEqual({ y: '2' });
    const json = await core.patchNamespacedConfigMap(
      { name: 'pt', namespace: 'default', body: [{ op: 'add', path: '/data/z', value: '3' }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(json.data).toEqual({ y: '2', z: '3' });
    const smp = await core.patchNamespacedPod(
      {
        name: 'web',
        namespace: 'default',
        body: { spec: { containers: [{ name: 'main', image: 'busybox:1.37' }] } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(smp.spec?.containers.map((x) => x.image)).toEqual(['busybox:1.37']);
    const stale = await errorOf(
      core.patchNamespacedConfigMap(
        { name: 'pt', namespace: 'default', body: { metadata: { resourceVersion: '1' }, data: { q: '1' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
    expect(stale.code).toBe(409);
    const applied = await core.patchNamespacedConfigMap(
      {
        name: 'ssa',
        namespace: 'default',
        fieldManager: 'tester',
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa' }, data: { k: 'v' } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    );
    expect(applied.data).toEqual({ k: 'v' });
    expect(applied.metadata?.managedFields?.[0]?.manager).toBe('tester');
  });

  it('filters lists with label and field selectors and pages with limit/continue', async () => {
    await core.createNamespace({ body: { metadata: { name: 'sel' } } });
    for (let i = 0; i < 7; i++) {
      await core.createNamespacedConfigMap({
        namespace: 'sel',
        body: { metadata: { name: `c${i}`, labels: { parity: i % 2 ? 'odd' : 'even', i: String(i) } } },
      });
    }
    const odd = await core.listNamespacedConfigMap({ namespace: 'sel', labelSelector: 'parity=odd' });
    expect(odd.items.map((x) => x.metadata?.name)).toEqual(['c1', 'c3', 'c5']);
    const set = await core.listNamespacedConfigMap({
      namespace: 'sel',
      labelSelector: 'i in (2,4),parity!=odd',
    });
    expect(set.items.map((x) => x.metadata?.name)).toEqual(['c2', 'c4']);
    const byName = await core.listNamespacedConfigMap({
      namespace: 'sel',
      fieldSelector: 'metadata.name=c6',
    });
    expect(byName.items.map((x) => x.metadata?.name)).toEqual(['c6']);
    const all = await core.listConfigMapForAllNamespaces({ fieldSelector: 'metadata.namespace=sel' });
    expect(all.items).toHaveLength(7);
    const pods = await core.listPodForAllNamespaces({ fieldSelector: 'status.phase=Succeeded' });
    expect(pods.items.map((x) => x.metadata?.name)).toEqual(['web']);

    const names: string[] = [];
    let cont: string | undefined;
    let pages = 0;
    do {
      const page = await core.listNamespacedConfigMap({ namespace: 'sel', limit: 3, _continue: cont });
      names.push(...page.items.map((x) => x.metadata?.name ?? ''));
      cont = page.metadata?._continue;
      pages++;
    } while (cont);
    expect(pages).toBe(3);
    expect(names).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    const filteredPage = await core.listNamespacedConfigMap({
      namespace: 'sel',
      labelSelector: 'parity=even',
      limit: 2,
    });
    expect(filteredPage.items.map((x) => x.metadata?.name)).toEqual(['c0', 'c2']);
    expect(filteredPage.metadata?._continue).toBeTruthy();
    const badSel = await errorOf(core.listNamespacedConfigMap({ namespace: 'sel', labelSelector: 'a in (' }));
    expect(badSel.code).toBe(400);
  });

  it('deletes collections and namespaces with their content', async () => {
    await core.deleteCollectionNamespacedConfigMap({ namespace: 'sel', labelSelector: 'parity=odd' });
    expect((await core.listNamespacedConfigMap({ namespace: 'sel' })).items).toHaveLength(4);
    await core.deleteNamespace({ name: 'sel' });
    const gone = await errorOf(core.readNamespace({ name: 'sel' }));
    expect(gone.code).toBe(404);
    expect(
      (await core.listConfigMapForAllNamespaces({ fieldSelector: 'metadata.namespace=sel' })).items,
    ).toHaveLength(0);
    const forbidden = await errorOf(core.deleteNamespace({ name: 'default' }));
    expect(forbidden.code).toBe(403);
  });

  it('answers errors as Status objects', async () => {
    const res = await rawRequest(c, '/api/v1/namespaces/default/configmaps/pt', {
      method: 'PATCH',
      body: '{}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(415);
    expect(res.json()).toMatchObject({ kind: 'Status', reason: 'UnsupportedMediaType', code: 415 });
    const badJson = await rawRequest(c, '/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: '{',
      headers: { 'content-type': 'application/json' },
    });
    expect(badJson.json()).toMatchObject({ reason: 'BadRequest', code: 400 });
    const method = await rawRequest(c, '/api/v1/namespaces/default/configmaps', {
      method: 'PUT',
      body: '{}',
    });
    expect(method.json()).toMatchObject({ reason: 'MethodNotAllowed', code: 405 });
    // Over the 3 MiB limit: the body is drained, the client gets the 413, the server goes on serving.
    const huge = await rawRequest(c, '/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: JSON.stringify({ metadata: { name: 'huge' }, data: { k: 'x'.repeat(4 * 1024 * 1024) } }),
      headers: { 'content-type': 'application/json' },
    });
    expect(huge.status).toBe(413);
    expect(huge.json()).toMatchObject({ kind: 'Status', reason: 'RequestEntityTooLarge', code: 413 });
    expect((await rawRequest(c, '/api/v1/namespaces/default/configmaps/huge')).status).toBe(404);
  });

  it('serves pod logs through the provider', async () => {
    const none = await errorOf(core.readNamespacedPodLog({ name: 'web', namespace: 'default' }));
    expect(none.code).toBe(400);
    c.server.setPodLogProvider({
      async streamLog(ns, name, opts, out) {
        if (opts.tailLines === 1)
          throw badRequest(
            `container "${opts.container}" in pod "${name}" is waiting to start: ContainerCreating`,
          );
        out.write(`${ns}/${name}/${opts.container}: hello\n`);
      },
    });
    expect(await core.readNamespacedPodLog({ name: 'web', namespace: 'default' })).toBe(
      'default/web/main: hello\n',
    );
    const waiting = await errorOf(
      core.readNamespacedPodLog({ name: 'web', namespace: 'default', tailLines: 1 }),
    );
    expect(waiting.code).toBe(400);
    expect(String(waiting.body.message)).toContain('is waiting to start: ContainerCreating');
    const badContainer = await errorOf(
      core.readNamespacedPodLog({ name: 'web', namespace: 'default', container: 'nope' }),
    );
    expect(badContainer.code).toBe(400);
    c.server.setPodLogProvider(undefined);
  });

  it('offers the same API in-process', async () => {
    const client = c.server.client;
    const cm = client.create('configmaps', {
      metadata: { name: 'inproc', namespace: 'default' },
      data: { a: '1' },
    });
    expect(Object.isFrozen(cm)).toBe(true);
    expect((await core.readNamespacedConfigMap({ name: 'inproc', namespace: 'default' })).data).toEqual({
      a: '1',
    });
    const next = structuredClone(cm);
    next.data = { a: '2' };
    client.update('configmaps', next);
    expect(() => client.update('configmaps', next)).toThrow(/the object has been modified/);
    expect(
      client.list('configmaps', { namespace: 'default', fieldSelector: 'metadata.name=inproc' }).items,
    ).toHaveLength(1);
    expect(client.get('jobs.batch', 'j1', 'default').kind).toBe('Job');
    client.delete('configmaps', 'inproc', { namespace: 'default' });
    expect(() => client.get('configmaps', 'inproc', 'default')).toThrow(/not found/);
  });
});
