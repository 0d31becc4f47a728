import { expandWithEnv } from './expand.js';
import { type PodNetwork, resolveFieldRef } from './field-ref.js';
import type { ResolvedImage } from './image-map.js';
import {
  type CachedObjectReader,
  ContainerConfigError,
  configMapEntries,
  secretEntries,
} from './object-reader.js';
import type { Container, Pod } from './types.js';

/** Where pods reach the API server: the `kubernetes` Service's env vars point here. */
export interface ApiServerEndpoint {
  host: string;
  port: number;
}

/** The `kubernetes` Service env vars every container gets, as the kubelet's service links do. */
export function kubernetesServiceEnv(api: ApiServerEndpoint): Map<string, string> {
  const { host, port } = api;
  const prefix = `KUBERNETES_PORT_${port}_TCP`;
  return new Map([
    ['KUBERNETES_SERVICE_HOST', host],
    ['KUBERNETES_SERVICE_PORT', String(port)],
    ['KUBERNETES_SERVICE_PORT_HTTPS', String(port)],
    ['KUBERNETES_PORT', `tcp://${host}:${port}`],
    [prefix, `tcp://${host}:${port}`],
    [`${prefix}_PROTO`, 'tcp'],
    [`${prefix}_PORT`, String(port)],
    [`${prefix}_ADDR`, host],
  ]);
}

export interface EnvInput {
  pod: Pod;
  container: Container;
  image: ResolvedImage;
  objects: CachedObjectReader;
  api: ApiServerEndpoint;
  net: PodNetwork;
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The container's environment, in the precedence a container runtime plus kubelet give it:
 * runtime defaults, image ENV, the `kubernetes` Service vars, `envFrom`, then `env` (whose
 * `$(VAR)` references see everything defined before them). Throws ContainerConfigError with the
 * kubelet's message when a required Secret/ConfigMap or key is missing.
 */
export async function buildContainerEnv(input: EnvInput): Promise<Map<string, string>> {
  const { pod, container, image, objects } = input;
  const env = new Map<string, string>([
    ['PATH', DEFAULT_PATH],
    ['HOSTNAME', pod.spec.hostname ?? pod.metadata.name ?? ''],
    ['HOME', process.getuid?.() === 0 ? '/root' : (process.env.HOME ?? '/')],
  ]);
  for (const [k, v] of Object.entries(image.env ?? {})) env.set(k, v);
  for (const [k, v] of kubernetesServiceEnv(input.api)) env.set(k, v);

  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    const entries = await envFromEntries(objects, from);
    for (const [k, v] of entries ?? []) env.set(prefix + k, v.toString('utf8'));
  }

  for (const v of container.env ?? []) {
    if (v.valueFrom) {
      const value = await valueFrom(input, v.valueFrom);
      if (value !== undefined) env.set(v.name, value);
    } else {
      env.set(v.name, expandWithEnv(v.value ?? '', env));
    }
  }
  return env;
}

async function envFromEntries(
  objects: CachedObjectReader,
  from: NonNullable<Container['envFrom']>[number],
): Promise<Map<string, Buffer> | undefined> {
  if (from.configMapRef) {
    const { name, optional } = from.configMapRef;
    const cm = await objects.configMap(name);
    if (cm) return configMapEntries(cm);
    if (optional) return undefined;
    throw new ContainerConfigError(`configmap "${name}" not found`);
  }
  if (from.secretRef) {
    const { name, optional } = from.secretRef;
    const secret = await objects.secret(name);
    if (secret) return secretEntries(secret);
    if (optional) return undefined;
    throw new ContainerConfigError(`secret "${name}" not found`);
  }
  return undefined;
}

async function valueFrom(
  input: EnvInput,
  source: NonNullable<NonNullable<Container['env']>[number]['valueFrom']>,
): Promise<string | undefined> {
  const { objects, pod } = input;
  const ns = objects.namespace;
  if (source.fieldRef) {
    try {
      return resolveFieldRef(pod, source.fieldRef.fieldPath, input.net);
    } catch (err) {
      throw new ContainerConfigError((err as Error).message);
    }
  }
  if (source.secretKeyRef) {
    const { name, key, optional } = source.secretKeyRef;
    const secret = await objects.secret(name);
    if (!secret) {
      if (optional) return undefined;
      throw new ContainerConfigError(`secret "${name}" not found`);
    }
    const value = secretEntries(secret).get(key);
    if (value === undefined && !optional) {
      throw new ContainerConfigError(`couldn't find key ${key} in Secret ${ns}/${name}`);
    }
    return value?.toString('utf8');
  }
  if (source.configMapKeyRef) {
    const { name, key, optional } = source.configMapKeyRef;
    const cm = await objects.configMap(name);
    if (!cm) {
      if (optional) return undefined;
      throw new ContainerConfigError(`configmap "${name}" not found`);
    }
    const value = configMapEntries(cm).get(key);
    if (value === undefined && !optional) {
      throw new ContainerConfigError(`couldn't find key ${key} in ConfigMap ${ns}/${name}`);
    }
    return value?.toString('utf8');
  }
  if (source.resourceFieldRef) {
    throw new ContainerConfigError(
      `resourceFieldRef ${source.resourceFieldRef.resource} is not supported by the dev cluster`,
    );
  }
  return undefined;
}

/**
 * The process argv: container `command` replaces the image ENTRYPOINT and `args` the CMD (a
 * `command` without `args` drops the image CMD), then `$(VAR)` expansion against the env.
 */
export function containerArgv(
  container: Container,
  image: ResolvedImage,
  env: Map<string, string>,
): string[] {
  const command = container.command ?? image.command ?? [];
  const args = container.args ?? (container.command ? [] : (image.args ?? []));
  return [...command, ...args].map((s) => expandWithEnv(s, env));
}
