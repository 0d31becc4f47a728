import { unsupportedMediaType } from '../status.js';

/**
 * Decoding of Kubernetes' protobuf request bodies, for the few kinds that client-go's typed clientset
 * sends as protobuf from kubectl (`kubectl create namespace|configmap|secret|serviceaccount`). Fields the
 * server would overwrite anyway (timestamps, managedFields, status) are skipped.
 */

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

type FieldType = 'string' | 'bytes' | 'int' | 'bool' | 'strmap' | 'bytesmap' | Schema;
type Field = [name: string, type: FieldType, repeated?: boolean];
interface Schema {
  [num: number]: Field;
}

const OWNER_REFERENCE: Schema = {
  1: ['kind', 'string'],
  3: ['name', 'string'],
  4: ['uid', 'string'],
  5: ['apiVersion', 'string'],
  6: ['controller', 'bool'],
  7: ['blockOwnerDeletion', 'bool'],
};

const OBJECT_META: Schema = {
  1: ['name', 'string'],
  2: ['generateName', 'string'],
  3: ['namespace', 'string'],
  5: ['uid', 'string'],
  6: ['resourceVersion', 'string'],
  11: ['labels', 'strmap'],
  12: ['annotations', 'strmap'],
  13: ['ownerReferences', OWNER_REFERENCE, true],
  14: ['finalizers', 'string', true],
};

const KINDS: Record<string, Schema> = {
  'v1/Namespace': { 1: ['metadata', OBJECT_META], 2: ['spec', { 1: ['finalizers', 'string', true] }] },
  'v1/ConfigMap': {
    1: ['metadata', OBJECT_META],
    2: ['data', 'strmap'],
    3: ['binaryData', 'bytesmap'],
    4: ['immutable', 'bool'],
  },
  'v1/Secret': {
    1: ['metadata', OBJECT_META],
    2: ['data', 'bytesmap'],
    3: ['type', 'string'],
    4: ['stringData', 'strmap'],
    5: ['immutable', 'bool'],
  },
  'v1/ServiceAccount': { 1: ['metadata', OBJECT_META], 4: ['automountServiceAccountToken', 'bool'] },
};

const UNKNOWN: Schema = {
  1: ['typeMeta', { 1: ['apiVersion', 'string'], 2: ['kind', 'string'] }],
  2: ['raw', 'bytes'],
};

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.buf[this.pos++];
      if (b === undefined) throw new Error('truncated varint');
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
    }
  }

  bytes(): Buffer {
    const len = this.varint();
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

function mapEntry(buf: Buffer, valueAsBase64: boolean): [string, string] {
  const r = new Reader(buf);
  let key = '';
  let value = '';
  while (r.pos < buf.length) {
    const tag = r.varint();
    const num = Math.floor(tag / 8);
    if (num === 1) key = r.bytes().toString('utf8');
    else if (num === 2) value = valueAsBase64 ? r.bytes().toString('base64') : r.bytes().toString('utf8');
    else r.skip(tag & 7);
  }
  return [key, value];
}

function decodeMessage(buf: Buffer, schema: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const r = new Reader(buf);
  while (r.pos < buf.length) {
    const tag = r.varint();
    const field = schema[Math.floor(tag / 8)];
    if (!field) {
      r.skip(tag & 7);
      continue;
    }
    const [name, type, repeated] = field;
    let value: unknown;
    if (type === 'int') value = r.varint();
    else if (type === 'bool') value = r.varint() !== 0;
    else if (type === 'string') value = r.bytes().toString('utf8');
    else if (type === 'bytes') value = r.bytes();
    else if (type === 'strmap' || type === 'bytesmap') {
      const [k, v] = mapEntry(r.bytes(), type === 'bytesmap');
      const map = (out[name] ?? {}) as Record<string, string>;
      map[k] = v;
      out[name] = map;
      continue;
    } else value = decodeMessage(r.bytes(), type);
    if (repeated) out[name] = [...((out[name] as unknown[] | undefined) ?? []), value];
    else out[name] = value;
  }
  return out;
}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Decodes a `k8s\0`-framed runtime.Unknown holding one of the supported kinds into its JSON form. */
export function decodeProtobufObject(raw: Buffer): unknown {
  if (raw.length < 4 || !raw.subarray(0, 4).equals(MAGIC)) throw unsupportedMediaType(PROTOBUF_CONTENT_TYPE);
  const unknown = decodeMessage(raw.subarray(4), UNKNOWN) as {
    typeMeta?: { apiVersion?: string; kind?: string };
    raw?: Buffer;
  };
  const apiVersion = unknown.typeMeta?.apiVersion ?? '';
  const kind = unknown.typeMeta?.kind ?? '';
  const schema = KINDS[`${apiVersion}/${kind}`];
  if (!schema || !unknown.raw) {
    throw unsupportedMediaType(
      `${PROTOBUF_CONTENT_TYPE} (supported for ${Object.keys(KINDS).join(', ')}; send JSON for ${apiVersion} ${kind})`,
    );
  }
  return { apiVersion, kind, ...decodeMessage(unknown.raw, schema) };
}
