import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { parse } from 'yaml';

/**
 * What the dev cluster runs for an image: there is no registry or container runtime, so each
 * image reference maps to a directory laid over the host's `/` inside the sandbox, plus the
 * image config a Dockerfile would have set (ENTRYPOINT = command, CMD = args, ENV, WORKDIR).
 *
 * File format:
 *
 * ```yaml
 * images:
 *   ghcr.io/kelos-dev/claude-code:        # matches any tag or digest of this repository
 *     root: ./images/claude-code          # relative to this file's directory
 *     command: [/usr/local/bin/agent]
 *     env: { AGENT_MODE: dev }
 *   ghcr.io/kelos-dev/*:                  # trailing `*` matches any reference with that prefix
 *     root: ./images/generic
 * ```
 */
export interface ImageConfig {
  root: string;
  command?: string[];
  args?: string[];
  env?: Record<string, string>;
  workingDir?: string;
  /**
   * Host directories shown read-only at their own path, even under /tmp (which is private to each
   * container): for images whose files point into the host tree, such as a shim that runs a
   * built script from the checkout.
   */
  hostPaths?: string[];
}

export interface ResolvedImage extends ImageConfig {
  /** The reference as written in the pod spec. */
  reference: string;
  /** Stable per mapping (not a content digest): what containerStatuses[].imageID reports. */
  imageID: string;
}

/** Kubernetes-style pull failure message for an image that is not in the map. */
export function imageNotMappedMessage(reference: string, mapPath: string): string {
  return `image "${reference}" is not in the dev cluster image map (${mapPath}); add it to the map`;
}

/** Drops `@digest`, then a `:tag` in the last path component (a `:port` in the registry stays). */
export function stripTagAndDigest(reference: string): string {
  const at = reference.indexOf('@');
  const noDigest = at === -1 ? reference : reference.slice(0, at);
  const colon = noDigest.lastIndexOf(':');
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
}

export function parseImageMap(text: string, mapPath: string): Map<string, ImageConfig> {
  const doc = (parse(text) ?? {}) as { images?: unknown };
  const images = doc.images ?? {};
  if (typeof images !== 'object' || images === null || Array.isArray(images)) {
    throw new Error(`${mapPath}: "images" must be a mapping from image reference to image config`);
  }
  const base = dirname(mapPath);
  const out = new Map<string, ImageConfig>();
  for (const [ref, raw] of Object.entries(images as Record<string, unknown>)) {
    out.set(ref, parseEntry(ref, raw, base, mapPath));
  }
  return out;
}

function parseEntry(ref: string, raw: unknown, base: string, mapPath: string): ImageConfig {
  const where = `${mapPath}: image "${ref}"`;
  if (typeof raw !== 'object' || raw === null) throw new Error(`${where} must be a mapping`);
  const e = raw as Record<string, unknown>;
  if (typeof e.root !== 'string' || e.root === '') throw new Error(`${where} needs a "root" directory`);
  const config: ImageConfig = { root: resolvePath(base, e.root) };
  for (const key of ['command', 'args', 'hostPaths'] as const) {
    const v = e[key];
    if (v === undefined) continue;
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) {
      throw new Error(`${where}: "${key}" must be a list of strings`);
    }
    config[key] = key === 'hostPaths' ? v.map((path: string) => resolvePath(base, path)) : v;
  }
  if (e.env !== undefined) {
    if (typeof e.env !== 'object' || e.env === null) throw new Error(`${where}: "env" must be a mapping`);
    config.env = Object.fromEntries(Object.entries(e.env).map(([k, v]) => [k, String(v)]));
  }
  if (e.workingDir !== undefined) {
    if (typeof e.workingDir !== 'string') throw new Error(`${where}: "workingDir" must be a string`);
    config.workingDir = e.workingDir;
  }
  return config;
}

/** Exact reference, then the reference without tag/digest, then the longest matching `prefix*`. */
export function matchImage(
  images: ReadonlyMap<string, ImageConfig>,
  reference: string,
): { key: string; config: ImageConfig } | undefined {
  for (const key of [reference, stripTagAndDigest(reference)]) {
    const config = images.get(key);
    if (config) return { key, config };
  }
  let best: { key: string; config: ImageConfig } | undefined;
  for (const [key, config] of images) {
    if (!key.endsWith('*')) continue;
    const prefix = key.slice(0, -1);
    if (reference.startsWith(prefix) && (!best || key.length > best.key.length)) best = { key, config };
  }
  return best;
}

/** The image map file, re-read whenever it changes so a fixed map unblocks pods stuck in ErrImagePull. */
export class ImageMap {
  private images = new Map<string, ImageConfig>();
  private loadedMtimeMs = -1;

  constructor(readonly path: string) {
    this.refresh();
  }

  resolve(reference: string): ResolvedImage | undefined {
    this.refresh();
    const match = matchImage(this.images, reference);
    if (!match) return undefined;
    const digest = createHash('sha256').update(`${match.key}\0${match.config.root}`).digest('hex');
    return {
      ...match.config,
      reference,
      imageID: `${stripTagAndDigest(reference)}@sha256:${digest}`,
    };
  }

  notMappedMessage(reference: string): string {
    return imageNotMappedMessage(reference, this.path);
  }

  private refresh(): void {
    const mtimeMs = statSync(this.path).mtimeMs;
    if (mtimeMs === this.loadedMtimeMs) return;
    this.images = parseImageMap(readFileSync(this.path, 'utf8'), this.path);
    this.loadedMtimeMs = mtimeMs;
  }
}
