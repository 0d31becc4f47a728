import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InProcessClient } from '../apiserver/client.js';
import type { FsyncMode } from '../apiserver/persistence.js';
import { type ApiServer, startApiServer } from '../apiserver/server.js';
import { renderKubeconfig } from '../kubeconfig.js';
import type { ImageResolver } from '../node/container-runner.js';
import { ImageMap } from '../node/image-map.js';
import type { JobControllerOptions } from '../node/job-controller.js';
import { findBwrap } from '../node/sandbox.js';
import { ApiObjectReader } from './api-object-reader.js';
import { ControllerLoop } from './controller-loop.js';
import { EventRecorder } from './event-recorder.js';
import { Kubelet } from './kubelet.js';
import { nodeObject, registerNode } from './node-object.js';
import { podLogProvider } from './pod-log-provider.js';
import { cronJobController, deploymentController, jobController } from './workload-controllers.js';

export const DEFAULT_NODE_NAME = 'kelos-dev';

export interface DevClusterOptions {
  /** TCP port of the API server; 0 (default) picks a free one. */
  port?: number;
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** Keeps PKI, tokens, objects and the node's pod directories across restarts; default: a temp dir. */
  dataDir?: string;
  fsync?: FsyncMode;
  /** Path of the image map file (re-read when it changes), or a loaded map. Without one no image runs. */
  imageMap?: string | ImageResolver;
  /** Run the local node and the workload controllers (default true); false serves the API only. */
  node?: boolean;
  /** Default `kelos-dev`. */
  nodeName?: string;
  /** The controllers' clock (ms since the epoch), for tests of schedules and deadlines. */
  clock?: () => number;
  /** The Job controller's pod backoff after failures (Kubernetes: 10 s doubling to 360 s). */
  jobBackoff?: { baseSeconds?: number; maxSeconds?: number };
  /** The node's CrashLoopBackOff delays (Kubernetes: 10 s doubling to 5 min). */
  restartBackoff?: { initialMs: number; maxMs: number };
}

export interface DevCluster {
  /** `https://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  readonly caCert: string;
  readonly adminToken: string;
  /** The API in-process (objects returned are frozen). */
  readonly client: InProcessClient;
  readonly server: ApiServer;
  /** The node's name; undefined with `node: false`. */
  readonly nodeName: string | undefined;
  /** The admin kubeconfig (context `kelos-dev`) as YAML. */
  kubeconfig(): string;
  writeKubeconfig(path: string): void;
  /** Makes every controller look at every object now, e.g. after an injected clock moved. */
  resync(): void;
  /** Stops the controllers, kills every pod process, closes watches and the server. */
  stop(): Promise<void>;
}

/** Pods reach the API server over the host network; a wildcard listen address is reached via loopback. */
function podFacingHost(host: string): string {
  return host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
}

/** Without an image map every pod fails to pull, with a message that says how to fix it. */
const NO_IMAGES: ImageResolver = {
  resolve: () => undefined,
  notMappedMessage: (reference) =>
    `image "${reference}" cannot run: the dev cluster was started without an image map (--image-map FILE)`,
};

/**
 * Starts the embedded single-node cluster: the API server, and unless `node: false` the local node (Node
 * object, kubelet loop running pods in bubblewrap, pod logs) and the Job, Deployment and CronJob
 * controllers. Fails before serving when the node is wanted and bwrap is missing.
 */
export async function startDevCluster(options: DevClusterOptions = {}): Promise<DevCluster> {
  const withNode = options.node ?? true;
  let images: ImageResolver = NO_IMAGES;
  if (withNode) {
    findBwrap();
    if (typeof options.imageMap === 'string') images = new ImageMap(options.imageMap);
    else if (options.imageMap) images = options.imageMap;
  }
  const server = await startApiServer({
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
    ...(options.fsync !== undefined ? { fsync: options.fsync } : {}),
  });
  const { client } = server;
  const nodeName = withNode ? (options.nodeName ?? DEFAULT_NODE_NAME) : undefined;
  let node: { kubelet: Kubelet; controllers: ControllerLoop[]; tempDir: string | undefined } | undefined;
  try {
    if (nodeName !== undefined) node = startNode(server, nodeName, images, options);
  } catch (err) {
    await server.stop();
    throw err;
  }

  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    port: server.port,
    caCert: server.caCert,
    adminToken: server.adminToken,
    client,
    server,
    nodeName,
    kubeconfig: () =>
      renderKubeconfig({ server: server.url, caCert: server.caCert, token: server.adminToken }),
    writeKubeconfig: (path) => server.writeKubeconfig(path),
    resync: () => {
      for (const c of node?.controllers ?? []) c.resync();
    },
    stop: () => {
      stopping ??= (async () => {
        for (const c of node?.controllers ?? []) c.stop();
        await node?.kubelet.stop();
        await server.stop();
        if (node?.tempDir) rmSync(node.tempDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

function startNode(server: ApiServer, nodeName: string, images: ImageResolver, options: DevClusterOptions) {
  const { client } = server;
  const tempDir = options.dataDir ? undefined : mkdtempSync(join(tmpdir(), 'kelos-devcluster-node-'));
  const dataDir = options.dataDir ? join(options.dataDir, 'node') : (tempDir as string);
  mkdirSync(dataDir, { recursive: true });
  const host = podFacingHost(new URL(server.url).hostname.replace(/^\[|\]$/g, ''));

  server.setGracefulPodDeletion(true);
  registerNode(client, nodeObject(nodeName, '127.0.0.1'));
  const recorder = new EventRecorder(client);
  const kubelet = new Kubelet({
    client,
    nodeName,
    recorder,
    runtime: {
      dataDir,
      images,
      objects: new ApiObjectReader(client, (subject) => server.issueToken(subject)),
      apiServer: { host, port: server.port, caCert: server.caCert },
      ...(options.restartBackoff ? { restartBackoff: options.restartBackoff } : {}),
    },
  });
  server.setPodLogProvider(podLogProvider(client, kubelet.runtime));
  kubelet.start();

  const jobOptions: JobControllerOptions = {};
  if (options.jobBackoff?.baseSeconds !== undefined)
    jobOptions.podBackoffBaseSeconds = options.jobBackoff.baseSeconds;
  if (options.jobBackoff?.maxSeconds !== undefined)
    jobOptions.podBackoffMaxSeconds = options.jobBackoff.maxSeconds;
  const loopOptions = { client, recorder, clock: options.clock ?? Date.now };
  const controllers = [jobController(jobOptions), deploymentController(), cronJobController()].map(
    (def) => new ControllerLoop(def, loopOptions),
  );
  for (const c of controllers) c.start();
  return { kubelet, controllers, tempDir };
}
