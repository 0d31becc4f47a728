import { describe, expect, it } from 'vitest';
import { JobExpectations } from '../src/task/job-expectations.js';

describe('JobExpectations', () => {
  it('waits for a created Job until it is seen, for at most the TTL', () => {
    let now = 1_000;
    const expected = new JobExpectations(() => now, 30_000);
    expect(expected.pendingMs('uid-a')).toBeUndefined();
    expected.expect('uid-a');
    expected.expect('uid-b');
    now += 10_000;
    expect(expected.pendingMs('uid-a')).toBe(20_000);
    expected.observed('uid-a');
    expect(expected.pendingMs('uid-a')).toBeUndefined();
    // Never seen: after the TTL the Job is no longer waited for, and the entry is gone.
    now += 20_000;
    expect(expected.pendingMs('uid-b')).toBeUndefined();
    expect(expected.size).toBe(0);
  });
});
