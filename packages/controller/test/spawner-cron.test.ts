/**
 * Cron TaskSpawners through the real cron source (spec §10.4): missed ticks become Tasks, and
 * lastDiscoveryTime moves only when a cycle completes, so a failed cycle loses no tick.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnerIntegrations } from '../src/spawner/integrations.js';
import { Spawner } from '../src/spawner/spawner.js';
import type { SpawnerApi } from '../src/spawner/spawner-api.js';
import { silentLogger } from './helpers/runtime-cluster.js';
import { SpawnerHarness } from './helpers/spawner-harness.js';

const h = new SpawnerHarness();
beforeAll(() => h.start());
afterAll(() => h.stop());

const cronSpec = (schedule: string) => ({
  when: { cron: { schedule } },
  taskTemplate: {
    type: 'codex' as const,
    credentials: { type: 'none' as const },
    promptTemplate: 'Nightly run for {{.Time}} ({{.Schedule}})',
  },
});

function cronSpawner(ns: string, name: string, clock: { now: Date }, api?: SpawnerApi): Spawner {
  return new Spawner({
    api: api ?? h.api(ns, name),
    integrations: spawnerIntegrations(),
    now: () => clock.now,
    log: silentLogger,
  });
}

describe('cron TaskSpawner', () => {
  it('creates one Task per missed tick and moves the watermark', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'nightly', cronSpec('*/10 * * * *'));
    h.setSpawnerStatus(ns, 'nightly', { lastDiscoveryTime: '2026-06-01T01:05:00Z' });
    const clock = { now: new Date('2026-06-01T01:42:13Z') };
    await cronSpawner(ns, 'nightly', clock).runOnce();

    expect(h.taskNames(ns)).toEqual([
      'nightly-20260601-0110',
      'nightly-20260601-0120',
      'nightly-20260601-0130',
      'nightly-20260601-0140',
    ]);
    expect(h.task(ns, 'nightly-20260601-0110')?.spec.prompt).toBe(
      'Nightly run for 2026-06-01T01:10:00Z (*/10 * * * *)',
    );
    expect(h.task(ns, 'nightly-20260601-0110')?.metadata.annotations).toBeUndefined();
    expect(h.spawnerObject(ns, 'nightly').status).toMatchObject({
      phase: 'Running',
      lastDiscoveryTime: '2026-06-01T01:42:13Z',
      totalDiscovered: 4,
      totalTasksCreated: 4,
    });

    clock.now = new Date('2026-06-01T01:55:00Z');
    await cronSpawner(ns, 'nightly', clock).runOnce();
    expect(h.taskNames(ns)).toHaveLength(5);
    expect(h.taskNames(ns).at(-1)).toBe('nightly-20260601-0150');
  });

  it('starts from the creation time when it never ran', async () => {
    const ns = h.namespace();
    const created = h.createSpawner(ns, 'hourly', cronSpec('0 * * * *'));
    const createdAt = new Date(created.metadata.creationTimestamp ?? '');
    const clock = { now: new Date(createdAt.getTime() + 2 * 3_600_000) };
    await cronSpawner(ns, 'hourly', clock).runOnce();
    expect(h.taskNames(ns)).toHaveLength(2);
  });

  it('keeps the watermark when the schedule cannot be read, and catches up once it is fixed', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'nightly', cronSpec('*/10 * * * * *'));
    h.setSpawnerStatus(ns, 'nightly', { lastDiscoveryTime: '2026-06-01T01:00:00Z' });
    const clock = { now: new Date('2026-06-01T01:20:00Z') };
    await expect(cronSpawner(ns, 'nightly', clock).runOnce()).rejects.toThrow(
      'discovering items: parsing cron schedule "*/10 * * * * *": expected exactly 5 fields, found 6',
    );
    expect(h.spawnerObject(ns, 'nightly').status).toMatchObject({
      phase: 'Failed',
      lastDiscoveryTime: '2026-06-01T01:00:00Z',
    });

    h.updateSpawnerSpec(ns, 'nightly', (spec) => {
      spec.when = { cron: { schedule: '*/10 * * * *' } };
    });
    clock.now = new Date('2026-06-01T01:30:00Z');
    await cronSpawner(ns, 'nightly', clock).runOnce();
    expect(h.taskNames(ns)).toEqual([
      'nightly-20260601-0110',
      'nightly-20260601-0120',
      'nightly-20260601-0130',
    ]);
    expect(h.spawnerObject(ns, 'nightly').status).toMatchObject({
      phase: 'Running',
      lastDiscoveryTime: '2026-06-01T01:30:00Z',
    });
  });

  it('keeps the watermark when the status write fails after creating Tasks, without creating them twice', async () => {
    const ns = h.namespace();
    h.createSpawner(ns, 'nightly', cronSpec('*/10 * * * *'));
    h.setSpawnerStatus(ns, 'nightly', { lastDiscoveryTime: '2026-06-01T01:00:00Z' });
    const api = h.api(ns, 'nightly');
    // The process dies (or the API server fails) after creating the Tasks, before recording the cycle.
    const failing: SpawnerApi = {
      ...api,
      writeStatus: () => Promise.reject(new Error('connection reset')),
    };
    const clock = { now: new Date('2026-06-01T01:25:00Z') };
    await expect(cronSpawner(ns, 'nightly', clock, failing).runOnce()).rejects.toThrow('connection reset');
    expect(h.taskNames(ns)).toEqual(['nightly-20260601-0110', 'nightly-20260601-0120']);
    const before = Object.fromEntries(h.tasks(ns).map((t) => [t.metadata.name, t.metadata.uid]));
    expect(h.spawnerObject(ns, 'nightly').status?.lastDiscoveryTime).toBe('2026-06-01T01:00:00Z');

    clock.now = new Date('2026-06-01T01:31:00Z');
    await cronSpawner(ns, 'nightly', clock).runOnce();
    const after = h.tasks(ns);
    expect(after.map((t) => t.metadata.name)).toEqual([
      'nightly-20260601-0110',
      'nightly-20260601-0120',
      'nightly-20260601-0130',
    ]);
    expect(after[0]?.metadata.uid).toBe(before['nightly-20260601-0110']);
    expect(h.spawnerObject(ns, 'nightly').status).toMatchObject({
      lastDiscoveryTime: '2026-06-01T01:31:00Z',
      totalDiscovered: 3,
      totalTasksCreated: 1,
    });
  });
});
