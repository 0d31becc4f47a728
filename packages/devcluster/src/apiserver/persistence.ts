import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { KObject } from './types.js';

/**
 * When to fsync the log. 'never' (default) still writes every record with a synchronous write(2) before
 * the request is acknowledged, so killing the process (even with SIGKILL) loses nothing: the data is in the
 * kernel's page cache. Only a power loss or kernel crash can lose the last writes; 'always' closes that gap
 * at the cost of one fsync per write.
 */
export type FsyncMode = 'always' | 'never';

type LogRecord =
  | { t: 'put'; r: string; o: KObject }
  | { t: 'del'; r: string; k: string; rv: number }
  | { t: 'rv'; rv: number };

export interface LoadedState {
  resourceVersion: number;
  /** Storage key → object key → object. */
  objects: Map<string, Map<string, KObject>>;
}

const LOG_FILE = 'objects.log';

function keyOf(o: KObject): string {
  const ns = o.metadata.namespace;
  return ns ? `${ns}/${o.metadata.name}` : (o.metadata.name ?? '');
}

/** An append-only JSON-lines log of committed writes, compacted to a snapshot at every start. */
export class PersistenceLog {
  private fd: number;

  private constructor(
    private readonly path: string,
    private readonly fsync: FsyncMode,
  ) {
    this.fd = openSync(path, 'a');
  }

  /** Replays the log in `dir`, rewrites it as a compact snapshot and opens it for appending. */
  static open(dir: string, fsync: FsyncMode): { log: PersistenceLog; state: LoadedState } {
    const path = join(dir, LOG_FILE);
    const state = existsSync(path) ? replay(path) : { resourceVersion: 0, objects: new Map() };
    compact(path, state);
    return { log: new PersistenceLog(path, fsync), state };
  }

  appendPut(storageKey: string, obj: KObject): void {
    this.append({ t: 'put', r: storageKey, o: obj });
  }

  appendDelete(storageKey: string, key: string, rv: number): void {
    this.append({ t: 'del', r: storageKey, k: key, rv });
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  private append(rec: LogRecord): void {
    if (this.fd < 0) throw new Error(`persistence log ${this.path} is closed`);
    writeSync(this.fd, `${JSON.stringify(rec)}\n`);
    if (this.fsync === 'always') fsyncSync(this.fd);
  }
}

function replay(path: string): LoadedState {
  const objects = new Map<string, Map<string, KObject>>();
  let resourceVersion = 0;
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    let rec: LogRecord;
    try {
      rec = JSON.parse(line) as LogRecord;
    } catch (err) {
      // A torn last line can only come from a crash in the middle of a write that was never acknowledged.
      if (i >= lines.length - 2) break;
      throw new Error(`${path}:${i + 1}: corrupt record: ${(err as Error).message}`);
    }
    if (rec.t === 'rv') {
      resourceVersion = Math.max(resourceVersion, rec.rv);
    } else if (rec.t === 'put') {
      let table = objects.get(rec.r);
      if (!table) {
        table = new Map();
        objects.set(rec.r, table);
      }
      table.set(keyOf(rec.o), rec.o);
      resourceVersion = Math.max(resourceVersion, Number(rec.o.metadata.resourceVersion ?? 0));
    } else {
      objects.get(rec.r)?.delete(rec.k);
      resourceVersion = Math.max(resourceVersion, rec.rv);
    }
  }
  return { resourceVersion, objects };
}

function compact(path: string, state: LoadedState): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    const parts: string[] = [JSON.stringify({ t: 'rv', rv: state.resourceVersion })];
    for (const [r, table] of state.objects) {
      for (const o of table.values()) parts.push(JSON.stringify({ t: 'put', r, o }));
    }
    writeSync(fd, `${parts.join('\n')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
