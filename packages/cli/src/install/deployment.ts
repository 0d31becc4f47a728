import type { V1Container, V1Deployment, V1ResourceRequirements } from '@kubernetes/client-node';
import { INSTALL_NAMES, installLabels } from './names.js';
import type { ResolvedInstallOptions } from './options.js';
import type { Manifest } from './types.js';

export const METRICS_PORT = 8080;
export const HEALTH_PORT = 8081;

/**
 * A Node process holding informer caches of Tasks, Jobs, Pods and Secrets: memory grows with the
 * cluster, CPU is mostly idle between reconciles.
 */
function defaultResources(): V1ResourceRequirements {
  return {
    requests: { cpu: '10m', memory: '128Mi' },
    limits: { cpu: '500m', memory: '512Mi' },
  };
}

/**
 * A fixed non-root UID: `runAsNonRoot` alone fails on images whose USER is a name (the kubelet cannot
 * verify it), and 65532 is the conventional "nonroot" UID of minimal base images.
 */
const NON_ROOT_UID = 65532;

/** The controller flags (api-controller §2), in a fixed order so re-rendering yields the same manifest. */
export function controllerArgs(options: ResolvedInstallOptions): string[] {
  const args = ['--leader-elect', `--version=${options.version}`];
  for (const { flag, image } of options.managedImages) {
    args.push(`--${flag}=${image}`);
    if (options.imagePullPolicy) args.push(`--${flag}-pull-policy=${options.imagePullPolicy}`);
  }
  if (options.githubApiBaseUrl) args.push(`--github-api-base-url=${options.githubApiBaseUrl}`);
  if (options.spawnerResourceRequests)
    args.push(`--spawner-resource-requests=${options.spawnerResourceRequests}`);
  if (options.spawnerResourceLimits) args.push(`--spawner-resource-limits=${options.spawnerResourceLimits}`);
  args.push(...options.controllerArgs);
  return args;
}

function managerContainer(options: ResolvedInstallOptions): V1Container {
  return {
    name: INSTALL_NAMES.controllerContainer,
    image: options.controllerImage,
    ...(options.imagePullPolicy ? { imagePullPolicy: options.imagePullPolicy } : {}),
    args: controllerArgs(options),
    ports: [
      { name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' },
      { name: 'health', containerPort: HEALTH_PORT, protocol: 'TCP' },
    ],
    livenessProbe: {
      httpGet: { path: '/healthz', port: HEALTH_PORT },
      initialDelaySeconds: 15,
      periodSeconds: 20,
    },
    readinessProbe: {
      httpGet: { path: '/readyz', port: HEALTH_PORT },
      initialDelaySeconds: 5,
      periodSeconds: 10,
    },
    resources: options.controllerResources ?? defaultResources(),
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    },
  };
}

export function buildControllerDeployment(options: ResolvedInstallOptions): Manifest<V1Deployment> {
  // The selector is immutable once applied, so it holds only labels that never change across versions.
  const selector = {
    'app.kubernetes.io/name': 'kelos',
    'app.kubernetes.io/component': 'controller',
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: INSTALL_NAMES.controllerDeployment,
      namespace: INSTALL_NAMES.namespace,
      labels: installLabels('controller'),
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: installLabels('controller') },
        spec: {
          serviceAccountName: INSTALL_NAMES.controllerServiceAccount,
          // Meets the "restricted" Pod Security Standard.
          securityContext: {
            runAsNonRoot: true,
            runAsUser: NON_ROOT_UID,
            runAsGroup: NON_ROOT_UID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          // The manager drains reconciles in flight and releases its lease on SIGTERM; that takes seconds.
          terminationGracePeriodSeconds: 10,
          containers: [managerContainer(options)],
        },
      },
    },
  };
}
