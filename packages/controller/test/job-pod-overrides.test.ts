import type { PodOverrides } from '@kelos/shared';
import { describe, expect, it } from 'vitest';
import { agentOf, build, makeTask, makeWorkspace, names } from './fixtures/job/objects.js';

function withOverrides(podOverrides: PodOverrides, workspace = false) {
  return build({
    task: makeTask({ podOverrides, ...(workspace && { workspaceRef: { name: 'w' } }) }),
    ...(workspace && { workspace: makeWorkspace() }),
  });
}

describe('podOverrides', () => {
  it('adds labels to the Job and Pod, but never over the built-in ones', () => {
    const job = withOverrides({ labels: { team: 'a', 'kelos.dev/task': 'spoofed', 'kelos.dev/name': 'x' } });
    const expected = {
      team: 'a',
      'kelos.dev/name': 'kelos',
      'kelos.dev/component': 'task',
      'kelos.dev/managed-by': 'kelos-controller',
      'kelos.dev/task': 'my-task',
    };
    expect(job.metadata.labels).toEqual(expected);
    expect(job.spec.template.metadata.labels).toEqual(expected);
  });

  it('sets resources and the container security context on the agent only', () => {
    const resources = { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '4Gi' } };
    const securityContext = { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false };
    const job = withOverrides({ resources, containerSecurityContext: securityContext }, true);
    expect(agentOf(job).resources).toEqual(resources);
    expect(agentOf(job).securityContext).toEqual(securityContext);
    for (const init of job.spec.template.spec.initContainers ?? []) {
      expect(init.resources).toBeUndefined();
      expect(init.securityContext).toEqual({ runAsUser: 61100 });
    }
  });

  it('copies activeDeadlineSeconds to the Job', () => {
    expect(withOverrides({ activeDeadlineSeconds: 3600 }).spec.activeDeadlineSeconds).toBe(3600);
  });

  it('copies the pod scheduling and identity fields', () => {
    const overrides: PodOverrides = {
      serviceAccountName: 'irsa',
      nodeSelector: { pool: 'agents' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'agents', effect: 'NoSchedule' }],
      affinity: {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } },
      },
      imagePullSecrets: [{ name: 'regcred' }],
    };
    const pod = withOverrides(overrides).spec.template.spec;
    expect(pod.serviceAccountName).toBe('irsa');
    expect(pod.nodeSelector).toEqual({ pool: 'agents' });
    expect(pod.tolerations).toEqual(overrides.tolerations);
    expect(pod.affinity).toEqual(overrides.affinity);
    expect(pod.imagePullSecrets).toEqual([{ name: 'regcred' }]);
  });

  it('leaves empty lists out of the pod', () => {
    const pod = withOverrides({ tolerations: [], imagePullSecrets: [], env: [], volumes: [] }).spec.template
      .spec;
    expect(pod.tolerations).toBeUndefined();
    expect(pod.imagePullSecrets).toBeUndefined();
    expect(pod.volumes).toBeUndefined();
  });

  it('appends user volumes to the pod and user mounts to the agent', () => {
    const job = withOverrides(
      {
        volumes: [
          { name: 'cache', emptyDir: {} },
          { name: 'cfg', configMap: { name: 'cfg' } },
        ],
        volumeMounts: [{ name: 'cache', mountPath: '/cache' }],
      },
      true,
    );
    expect(names(job.spec.template.spec.volumes)).toEqual(['workspace', 'cache', 'cfg']);
    expect(agentOf(job).volumeMounts).toEqual([
      { name: 'workspace', mountPath: '/workspace' },
      { name: 'cache', mountPath: '/cache' },
    ]);
  });

  it('replaces the pod security context but keeps fsGroup 61100 when unset, with a workspace', () => {
    const job = withOverrides(
      { podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } },
      true,
    );
    expect(job.spec.template.spec.securityContext).toEqual({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
      fsGroup: 61100,
    });
  });

  it('lets the user choose another fsGroup', () => {
    const job = withOverrides({ podSecurityContext: { fsGroup: 1000, runAsUser: 1000 } }, true);
    expect(job.spec.template.spec.securityContext).toEqual({ fsGroup: 1000, runAsUser: 1000 });
  });

  it('uses the user pod security context as it is without a workspace', () => {
    const job = withOverrides({ podSecurityContext: { runAsNonRoot: true } });
    expect(job.spec.template.spec.securityContext).toEqual({ runAsNonRoot: true });
  });

  it('appends extra containers after kelos-agent and extra init containers after the built-ins', () => {
    const job = build({
      task: makeTask({
        workspaceRef: { name: 'w' },
        podOverrides: {
          extraContainers: [{ name: 'postgres', image: 'postgres:16' }],
          extraInitContainers: [
            { name: 'migrate', image: 'migrate:1', command: ['migrate', 'up'] },
            { name: 'proxy', image: 'proxy:1', restartPolicy: 'Always' },
          ],
        },
      }),
      workspace: makeWorkspace({ files: [{ path: 'f', content: '' }] }),
      agentConfig: { skills: [{ source: 'o/r' }] },
    });
    const pod = job.spec.template.spec;
    expect(names(pod.containers)).toEqual(['kelos-agent', 'postgres']);
    expect(names(pod.initContainers)).toEqual([
      'git-clone',
      'workspace-files',
      'skills-install',
      'migrate',
      'proxy',
    ]);
    expect(pod.initContainers?.at(-1)).toEqual({ name: 'proxy', image: 'proxy:1', restartPolicy: 'Always' });
  });

  it('lets a user container use an agent type name', () => {
    const job = withOverrides({ extraContainers: [{ name: 'claude-code', image: 'x' }] });
    expect(names(job.spec.template.spec.containers)).toEqual(['kelos-agent', 'claude-code']);
  });
});
