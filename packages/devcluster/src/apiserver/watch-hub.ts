import type { Entry } from './entry.js';

export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  rv: number;
  /** Storage key of the resource (`pods`, `tasks.kelos.dev`). */
  storageKey: string;
  entry: Entry;
  /** The previous state, for MODIFIED: watchers with selectors need it to turn updates into ADDED/DELETED. */
  old?: Entry;
}

export type StoreListener = (ev: StoreEvent) => void;

/**
 * Fans committed writes out to watchers and keeps a ring buffer of recent events, so a watch can resume
 * from an older resourceVersion; anything older than the buffer is answered with 410 Expired.
 */
export class WatchHub {
  private readonly ring: (StoreEvent | undefined)[];
  private next = 0;
  /** Every event with rv greater than this is still in the ring. */
  private floorRv: number;
  private readonly listeners = new Map<string, Set<StoreListener>>();

  constructor(capacity: number, startRv: number) {
    this.ring = new Array(Math.max(1, capacity));
    this.floorRv = startRv;
  }

  publish(ev: StoreEvent): void {
    const evicted = this.ring[this.next];
    if (evicted) this.floorRv = evicted.rv;
    this.ring[this.next] = ev;
    this.next = (this.next + 1) % this.ring.length;
    const ls = this.listeners.get(ev.storageKey);
    if (!ls) return;
    for (const l of ls) {
      try {
        l(ev);
      } catch (err) {
        console.error(`kelos-devcluster: watch listener for ${ev.storageKey} failed:`, err);
      }
    }
  }

  subscribe(storageKey: string, listener: StoreListener): () => void {
    let ls = this.listeners.get(storageKey);
    if (!ls) {
      ls = new Set();
      this.listeners.set(storageKey, ls);
    }
    ls.add(listener);
    return () => {
      ls.delete(listener);
    };
  }

  /** Events of one resource after `rv`, oldest first; undefined when some of them are no longer retained. */
  since(storageKey: string, rv: number): StoreEvent[] | undefined {
    if (rv < this.floorRv) return undefined;
    const out: StoreEvent[] = [];
    const n = this.ring.length;
    for (let i = 0; i < n; i++) {
      const ev = this.ring[(this.next + i) % n];
      if (ev && ev.rv > rv && ev.storageKey === storageKey) out.push(ev);
    }
    return out;
  }
}
