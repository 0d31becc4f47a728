import { arch, availableParallelism, hostname, release, totalmem } from 'node:os';
import type { InProcessClient } from '../apiserver/client.js';
import { SERVER_VERSION } from '../apiserver/http/discovery.js';
import { isApiErrorCode } from '../apiserver/status.js';
import type { KObject } from '../apiserver/types.js';
import { rfc3339 } from '../node/time.js';

/** Go's GOARCH names, which node labels and nodeInfo use. */
const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' };

/**
 * The core/v1 Node the local node registers, as a kubelet does at start. It reports Ready from then on:
 * the node lives in the API server's process, so there is no heartbeat that could go missing.
 */
export function nodeObject(name: string, address: string): KObject {
  const goArch = GO_ARCH[arch()] ?? arch();
  const now = rfc3339();
  const capacity = {
    cpu: String(availableParallelism()),
    memory: `${Math.floor(totalmem() / 1024)}Ki`,
    pods: '110',
    'ephemeral-storage': '0',
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': goArch,
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': goArch,
        'node-role.kubernetes.io/control-plane': '',
      },
    },
    spec: {},
    status: {
      capacity,
      allocatable: capacity,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
          lastHeartbeatTime: now,
          lastTransitionTime: now,
        },
      ],
      addresses: [
        { type: 'InternalIP', address },
        { type: 'Hostname', address: hostname() },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
      nodeInfo: {
        architecture: goArch,
        operatingSystem: 'linux',
        osImage: 'kelos devcluster',
        kernelVersion: release(),
        kubeletVersion: SERVER_VERSION.gitVersion,
        kubeProxyVersion: SERVER_VERSION.gitVersion,
        containerRuntimeVersion: 'bubblewrap://',
        machineID: '',
        systemUUID: '',
        bootID: '',
      },
    },
  };
}

/**
 * Creates the Node (kept from an earlier run with a data dir) and writes its status, which, as for every
 * resource with a status subresource, a create does not store.
 */
export function registerNode(client: InProcessClient, node: KObject): void {
  let stored: KObject;
  try {
    stored = client.create('nodes', node);
  } catch (err) {
    if (!isApiErrorCode(err, 409)) throw err;
    stored = client.get('nodes', node.metadata.name ?? '');
  }
  const next = structuredClone(stored);
  next.status = node.status;
  client.updateStatus('nodes', next);
}
