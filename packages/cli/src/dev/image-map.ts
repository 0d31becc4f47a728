import { dirname, join } from 'node:path';
import type { ImageConfig } from '@kelos/devcluster';
import {
  AGENT_TYPE_INFO,
  AGENT_TYPES,
  type AgentType,
  GIT_IMAGE,
  SKILLS_INSTALL_IMAGE,
} from '@kelos/shared/constants';
import { DEFAULT_CONTROLLER_IMAGE, DEFAULT_SPAWNER_IMAGE } from '../install/images.js';

/** The image every Task of the dev cluster can name with `spec.image` to run the fake agent. */
export const FAKE_AGENT_IMAGE = 'ghcr.io/kelos-dev/fake';

export interface ImageMapInput {
  /** Root of the kelos checkout the CLI runs from. */
  checkout: string;
  /** The Node binary that runs the controller and the spawner (the one running `kelos dev up`). */
  node: string;
  /** An empty directory: an image that adds nothing to the host's tree. */
  emptyRoot: string;
  /** Run the bundled agent images with the agent CLIs of the host instead of the fake agent. */
  hostAgents?: HostAgents;
}

export interface HostAgents {
  /** Each bundled agent's image root (host-agents.ts). */
  roots: Record<AgentType, string>;
  /** PATH in the agent containers: the host's, where the agent CLIs are installed. */
  path: string;
}

/** Drops the tag: the dev cluster's image map matches a repository name with any tag or digest. */
function repository(image: string): string {
  return image.replace(/:[^/:]*$/, '');
}

/**
 * The dev cluster's image map (docs/devcluster.md) for `kelos dev`: the controller and the spawner run
 * from this checkout's build with the host's Node, git-clone and skills-install use the host's git and
 * npx, and every agent image, bundled names included, runs the fake agent of agents/fake. The process
 * runtime has no container images: with `hostAgents`, the bundled names run their real entrypoints with
 * the agent CLIs installed on the host instead.
 */
export function devImageMap(input: ImageMapInput): { images: Record<string, ImageConfig> } {
  const { checkout, node, emptyRoot } = input;
  // Each container has a private /tmp, which would hide a checkout (or a Node) that lives under it.
  const hostPaths = [checkout];
  if (dirname(node).startsWith('/tmp/')) hostPaths.push(dirname(node));
  const controllerDist = join(checkout, 'packages/controller/dist');
  // Pods share the host's network namespace: the default :8080 and :8081 of the controller and of every
  // spawner would collide with each other and with whatever else listens there; nothing probes them here.
  const noMetrics = '--metrics-bind-address=0';
  const fake: ImageConfig = {
    root: join(checkout, 'agents/fake/rootfs'),
    env: { KELOS_CAPTURE_JS: join(controllerDist, 'bundle/kelos-capture.mjs') },
    workingDir: '/workspace',
    hostPaths,
  };
  const images: Record<string, ImageConfig> = {
    [DEFAULT_CONTROLLER_IMAGE]: {
      root: emptyRoot,
      command: [
        node,
        join(controllerDist, 'bundle/kelos-controller.mjs'),
        noMetrics,
        '--health-probe-bind-address=0',
      ],
      hostPaths,
    },
    [DEFAULT_SPAWNER_IMAGE]: {
      root: emptyRoot,
      command: [node, join(controllerDist, 'bundle/kelos-spawner.mjs'), noMetrics],
      hostPaths,
    },
    [repository(GIT_IMAGE)]: { root: emptyRoot, command: ['git'] },
    [repository(SKILLS_INSTALL_IMAGE)]: { root: emptyRoot, command: ['node'] },
    [FAKE_AGENT_IMAGE]: fake,
  };
  const host = input.hostAgents;
  // An agent CLI installed under /tmp (a test's, a temporary install) must stay visible too.
  const agentPaths = host
    ? [...hostPaths, ...host.path.split(':').filter((dir) => dir.startsWith('/tmp/'))]
    : hostPaths;
  for (const type of AGENT_TYPES) {
    images[AGENT_TYPE_INFO[type].defaultImage] = host
      ? {
          root: host.roots[type],
          // HOME: the agent CLIs write their config there, and the host's is read-only in the sandbox.
          env: { ...fake.env, PATH: host.path, HOME: '/tmp' },
          workingDir: '/workspace',
          hostPaths: agentPaths,
        }
      : fake;
  }
  return { images };
}
