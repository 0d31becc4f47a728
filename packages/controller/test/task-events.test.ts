/**
 * The event recorder (spec §3.5 events) against the API server: core/v1 Events with the Kelos source,
 * repeats folded into one Event by count, as client-go's recorder does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeEventRecorder } from '../src/events/recorder.js';
import { makeClients } from '../src/runtime/kube-client.js';
import { type RuntimeCluster, silentLogger, startRuntimeCluster } from './helpers/runtime-cluster.js';

let cluster: RuntimeCluster;
let recorder: KubeEventRecorder;

beforeAll(async () => {
  cluster = await startRuntimeCluster();
  recorder = new KubeEventRecorder(makeClients(cluster.kc).core, silentLogger);
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
