/**
 * The event recorder (spec §3.5 events) against the API server: core/v1 Events with the Kelos source,
 * repeats folded into one Event by count, as client-go's recorder does.
 */

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeEventRecorder, MAX_EVENT_WRITES_IN_FLIGHT, MAX_QUEUED_EVENTS } from '../src/events/recorder.js';
import { KubeJsonClient } from '../src/runtime/json-client.js';
import { makeClients } from '../src/runtime/kube-client.js';
import { type RuntimeCluster, silentLogger, startRuntimeCluster } from './helpers/runtime-cluster.js';

let cluster: RuntimeCluster;
let recorder: KubeEventRecorder;

beforeAll(async () => {
  cluster = await startRuntimeCluster();
  recorder = new KubeEventRecorder(makeClients(cluster.kc).json, silentLogger);
});
afterAll(() => cluster.stop());

interface Event {
  metadata: { name: string };
  involvedObject: Record<string, unknown>;
  reason: string;
  message: string;
  type: string;
  count: number;
  source: { component: string };
  firstTimestamp: string;
  lastTimestamp: string;
}

const subject = (name: string) => ({
  apiVersion: 'kelos.dev/v1alpha1',
  kind: 'Task',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '7' },
});
const eventsOf = (name: string) =>
  (cluster.api.client.list('events', { namespace: 'default' }).items as unknown as Event[]).filter(
    (e) => e.involvedObject.name === name,
  );

describe('KubeEventRecorder', () => {
  it('writes a core/v1 Event about the object', async () => {
    await recorder.record(subject('a'), 'Normal', 'TaskCreated', 'Created Job a for task');
    const [event] = eventsOf('a');
    expect(event).toMatchObject({
      involvedObject: {
        apiVersion: 'kelos.dev/v1alpha1',
        kind: 'Task',
        name: 'a',
        namespace: 'default',
        uid: 'uid-a',
      },
      reason: 'TaskCreated',
      message: 'Created Job a for task',
      type: 'Normal',
      count: 1,
      source: { component: 'kelos-controller' },
    });
    expect(event?.metadata.name).toMatch(/^a\.[0-9a-f]+$/);
    expect(event?.firstTimestamp).toBe(event?.lastTimestamp);
  });

  it('folds repeats into one Event with a count; another message is another Event', async () => {
    for (let i = 0; i < 3; i++)
      await recorder.record(subject('b'), 'Warning', 'BranchWithoutWorkspace', 'same');
    await recorder.record(subject('b'), 'Warning', 'BranchWithoutWorkspace', 'different');
    const events = eventsOf('b');
    expect(events.map((e) => [e.message, e.count])).toEqual([
      ['same', 3],
      ['different', 1],
    ]);
  });

  it('folds repeats recorded while an earlier one is still on its way, in one write', async () => {
    const recorded = [1, 2, 3, 4].map(() =>
      recorder.record(subject('q'), 'Normal', 'TaskCreated', 'Created Job q for task'),
    );
    await Promise.all(recorded);
    expect(eventsOf('q').map((e) => e.count)).toEqual([4]);
  });

  it('does not wait for a slow API server, and drops what exceeds its queue', async () => {
    // A server that accepts requests and never answers them.
    const stuck = createServer(() => {});
    await new Promise<void>((resolve) => stuck.listen(0, '127.0.0.1', resolve));
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: 'c',
          server: `http://127.0.0.1:${(stuck.address() as AddressInfo).port}`,
          skipTLSVerify: true,
        },
      ],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const slow = new KubeEventRecorder(new KubeJsonClient(kc), silentLogger);
    const pending = Array.from({ length: MAX_QUEUED_EVENTS + MAX_EVENT_WRITES_IN_FLIGHT }, (_, i) =>
      slow.record(subject(`s${i}`), 'Normal', 'TaskCreated', 'Created'),
    );
    // The most writes there may be are in flight and the queue is full: the next Event is dropped at once.
    const dropped = slow.record(subject('over'), 'Normal', 'TaskCreated', 'Created');
    const settledAt = await Promise.race([
      dropped.then(() => 'dropped'),
      new Promise((r) => setTimeout(() => r('waiting'), 200)),
    ]);
    expect(settledAt).toBe('dropped');
    const first = await Promise.race([pending[0], new Promise((r) => setTimeout(() => r('waiting'), 50))]);
    expect(first).toBe('waiting');
    stuck.closeAllConnections();
    stuck.close();
    // Failed writes are logged, never thrown.
    await expect(Promise.all(pending)).resolves.toBeDefined();
  });

  it('starts a new Event when the folded one is gone, and never throws', async () => {
    await recorder.record(subject('c'), 'Normal', 'TaskRunning', 'Task is running');
    const [first] = eventsOf('c');
    cluster.api.client.delete('events', first?.metadata.name ?? '', { namespace: 'default' });
    await recorder.record(subject('c'), 'Normal', 'TaskRunning', 'Task is running');
    expect(eventsOf('c').map((e) => e.count)).toEqual([1]);
    await expect(
      recorder.record({ metadata: { name: 'x', namespace: 'no-such-namespace' } }, 'Normal', 'R', 'm'),
    ).resolves.toBeUndefined();
  });
});
