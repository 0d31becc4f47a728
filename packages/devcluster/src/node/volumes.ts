import { chmod, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, posix } from 'node:path';
import { type PodNetwork, resolveFieldRef } from './field-ref.js';
import { type CachedObjectReader, configMapEntries, secretEntries } from './object-reader.js';
import type { Container, DownwardAPIVolumeFile, KeyToPath, Pod, Volume, VolumeProjection } from './types.js';

export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const DEFAULT_MODE = 0o644;
/** What the ServiceAccount admission plugin requests for the kube-api-access volume. */
const SERVICE_ACCOUNT_TOKEN_SECONDS = 3607;

/** Mount failures keep the pod in ContainerCreating and are retried, as in the kubelet. */
export class VolumeSetupError extends Error {}

export interface VolumeSetupInput {
  pod: Pod;
  podDir: string;
  objects: CachedObjectReader;
  net: PodNetwork;
  /** PEM of the CA that signs the API server's certificate, for `ca.crt`. */
  caCert: string;
}

export interface BindMount {
  source: string;
  target: string;
  readOnly: boolean;
}

/** Directory of each pod volume: `<podDir>/volumes/<name>` (hostPath volumes: the host path). */
export type PodVolumes = Map<string, string>;

export async function setUpVolumes(input: VolumeSetupInput): Promise<PodVolumes> {
  const out: PodVolumes = new Map();
  for (const volume of input.pod.spec.volumes ?? []) {
    try {
      out.set(volume.name, await setUpVolume(input, volume));
    } catch (err) {
      throw new VolumeSetupError(
        `MountVolume.SetUp failed for volume "${volume.name}" : ${(err as Error).message}`,
      );
    }
  }
  if (input.pod.spec.automountServiceAccountToken !== false) {
    out.set(SERVICE_ACCOUNT_VOLUME, await setUpServiceAccount(input));
  }
  return out;
}

/** Key in PodVolumes for the implicit kube-api-access volume; not a valid volume name, so no clash. */
const SERVICE_ACCOUNT_VOLUME = '.kube-api-access';

/** The binds a container gets: its volumeMounts (with subPath) plus the service account dir. */
export function containerMounts(container: Container, volumes: PodVolumes): BindMount[] {
  const mounts: BindMount[] = [];
  for (const m of container.volumeMounts ?? []) {
    const dir = volumes.get(m.name);
    if (dir === undefined) throw new VolumeSetupError(`volume "${m.name}" not found in pod spec`);
    const source = m.subPath ? join(dir, safeRelative(m.subPath)) : dir;
    mounts.push({ source, target: m.mountPath, readOnly: m.readOnly === true });
  }
  const sa = volumes.get(SERVICE_ACCOUNT_VOLUME);
  if (sa !== undefined && !mounts.some((m) => posix.normalize(m.target) === SERVICE_ACCOUNT_MOUNT_PATH)) {
    mounts.push({ source: sa, target: SERVICE_ACCOUNT_MOUNT_PATH, readOnly: true });
  }
  return mounts;
}

async function setUpVolume(input: VolumeSetupInput, volume: Volume): Promise<string> {
  if (volume.hostPath) return setUpHostPath(volume.hostPath);
  const dir = join(input.podDir, 'volumes', volume.name);
  if (volume.emptyDir) {
    // Memory-backed emptyDirs are plain directories too: the node has no tmpfs of its own per pod.
    await mkdir(dir, { recursive: true, mode: 0o777 });
    await chmod(dir, 0o777);
    return dir;
  }
  const files = await volumeFiles(input, volume);
  if (files === undefined)
    throw new Error(
      'unsupported volume type (the dev cluster supports emptyDir, secret, configMap, projected, downwardAPI, hostPath)',
    );
  await writeVolumeDir(dir, files);
  return dir;
}

interface VolumeFile {
  path: string;
  data: Buffer;
  mode: number;
}

async function volumeFiles(input: VolumeSetupInput, volume: Volume): Promise<VolumeFile[] | undefined> {
  if (volume.secret) {
    const { secretName = '', items, optional, defaultMode = DEFAULT_MODE } = volume.secret;
    return projectSecret(input, { name: secretName, items, optional }, defaultMode);
  }
  if (volume.configMap) {
    const { name = '', items, optional, defaultMode = DEFAULT_MODE } = volume.configMap;
    return projectConfigMap(input, { name, items, optional }, defaultMode);
  }
  if (volume.downwardAPI) {
    return downwardFiles(
      input,
      volume.downwardAPI.items ?? [],
      volume.downwardAPI.defaultMode ?? DEFAULT_MODE,
    );
  }
  if (volume.projected) {
    const mode = volume.projected.defaultMode ?? DEFAULT_MODE;
    const all: VolumeFile[] = [];
    for (const source of volume.projected.sources ?? [])
      all.push(...(await projectionFiles(input, source, mode)));
    return all;
  }
  return undefined;
}

async function projectionFiles(input: VolumeSetupInput, source: VolumeProjection, mode: number) {
  if (source.secret) return projectSecret(input, source.secret, mode);
  if (source.configMap) return projectConfigMap(input, source.configMap, mode);
  if (source.downwardAPI) return downwardFiles(input, source.downwardAPI.items ?? [], mode);
  if (source.serviceAccountToken) {
    const { audience, expirationSeconds, path } = source.serviceAccountToken;
    const token = await input.objects.issueToken({
      serviceAccountName: input.pod.spec.serviceAccountName ?? 'default',
      ...(audience ? { audiences: [audience] } : {}),
      expirationSeconds: expirationSeconds ?? SERVICE_ACCOUNT_TOKEN_SECONDS,
      pod: podRef(input.pod),
    });
    return [{ path, data: Buffer.from(token), mode }];
  }
  return [];
}

interface Projection {
  name: string;
  items?: KeyToPath[] | undefined;
  optional?: boolean | undefined;
}

async function projectSecret(input: VolumeSetupInput, p: Projection, mode: number) {
  const secret = await input.objects.secret(p.name);
  if (!secret) {
    if (p.optional) return [];
    throw new Error(`secret "${p.name}" not found`);
  }
  return keyFiles(secretEntries(secret), p, mode, 'references non-existent secret key');
}

async function projectConfigMap(input: VolumeSetupInput, p: Projection, mode: number) {
  const cm = await input.objects.configMap(p.name);
  if (!cm) {
    if (p.optional) return [];
    throw new Error(`configmap "${p.name}" not found`);
  }
  return keyFiles(configMapEntries(cm), p, mode, 'configmap references non-existent config key');
}

function keyFiles(entries: Map<string, Buffer>, p: Projection, mode: number, missing: string): VolumeFile[] {
  if (!p.items) return [...entries].map(([key, data]) => ({ path: key, data, mode }));
  const files: VolumeFile[] = [];
  for (const item of p.items) {
    const data = entries.get(item.key);
    if (data === undefined) {
      if (p.optional) continue;
      throw new Error(`${missing}: ${item.key}`);
    }
    files.push({ path: item.path, data, mode: item.mode ?? mode });
  }
  return files;
}

function downwardFiles(input: VolumeSetupInput, items: DownwardAPIVolumeFile[], mode: number): VolumeFile[] {
  return items.flatMap((item) =>
    item.fieldRef
      ? [
          {
            path: item.path,
            data: Buffer.from(resolveFieldRef(input.pod, item.fieldRef.fieldPath, input.net)),
            mode: item.mode ?? mode,
          },
        ]
      : [],
  );
}

async function setUpServiceAccount(input: VolumeSetupInput): Promise<string> {
  const dir = join(input.podDir, 'serviceaccount');
  const token = await input.objects.issueToken({
    serviceAccountName: input.pod.spec.serviceAccountName ?? 'default',
    expirationSeconds: SERVICE_ACCOUNT_TOKEN_SECONDS,
    pod: podRef(input.pod),
  });
  await writeVolumeDir(dir, [
    { path: 'token', data: Buffer.from(token), mode: DEFAULT_MODE },
    { path: 'ca.crt', data: Buffer.from(input.caCert), mode: DEFAULT_MODE },
    { path: 'namespace', data: Buffer.from(input.pod.metadata.namespace ?? 'default'), mode: DEFAULT_MODE },
  ]);
  return dir;
}

async function setUpHostPath(hostPath: NonNullable<Volume['hostPath']>): Promise<string> {
  const { path, type = '' } = hostPath;
  if (type === 'DirectoryOrCreate') await mkdir(path, { recursive: true, mode: 0o755 });
  if (type === 'FileOrCreate') {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, '', { flag: 'a', mode: 0o644 });
  }
  if (type === '') return path;
  const st = await stat(path).catch(() => undefined);
  if (!st) throw new Error(`hostPath type check failed: ${path} does not exist`);
  if (type.startsWith('Directory') && !st.isDirectory()) {
    throw new Error(`hostPath type check failed: ${path} is not a directory`);
  }
  if (type.startsWith('File') && !st.isFile())
    throw new Error(`hostPath type check failed: ${path} is not a file`);
  return path;
}

/** Rewritten from scratch on each attempt, so a retried mount never keeps stale keys. */
async function writeVolumeDir(dir: string, files: VolumeFile[]): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o755 });
  for (const file of files) {
    const target = join(dir, safeRelative(file.path));
    await mkdir(dirname(target), { recursive: true, mode: 0o755 });
    await writeFile(target, file.data, { mode: file.mode });
    await chmod(target, file.mode);
  }
}

/** Item paths and subPaths are relative and may not climb out of the volume. */
function safeRelative(path: string): string {
  const n = normalize(path);
  if (n.startsWith('/') || n === '..' || n.startsWith('../')) throw new Error(`invalid path "${path}"`);
  return n;
}

function podRef(pod: Pod): { name: string; uid: string } {
  return { name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' };
}
