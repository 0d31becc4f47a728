import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContainerLog, LogError, readContainerLog, rfc3339Nano } from '../src/node/index.js';
import { collect, type Harness, makePod, startHarness, tmpDir } from './fixtures/node/harness.js';

const RFC3339_NANO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;

describe('container log files', () => {
  it('formats timestamps like Go RFC3339Nano (nanoseconds, trailing zeros trimmed)', () => {
    expect(rfc3339Nano(1_700_000_000_123_456_789n)).toBe('2023-11-14T22:13:20.123456789Z');
    expect(rfc3339Nano(1_700_000_000_120_000_000n)).toBe('2023-11-14T22:13:20.12Z');
    expect(rfc3339Nano(1_700_000_000_000_000_000n)).toBe('2023-11-14T22:13:20Z');
    expect(rfc3339Nano()).toMatch(RFC3339_NANO);
  });

  it('keeps streams, partial lines and line ends exactly', async () => {
    const log = new ContainerLog(join(tmpDir(), 'c', '0.log'));
    log.write('stdout', Buffer.from('one\ntw'));
    log.write('stderr', Buffer.from('err line\n'));
    log.write('stdout', Buffer.from('o\nno newline at end'));
    log.close();
    expect(await collect(readContainerLog(log, {}))).toBe('one\nerr line\ntwo\nno newline at end');
  });

  it('serves tailLines, timestamps, sinceTime and limitBytes', async () => {
    const log = new ContainerLog(join(tmpDir(), 'c', '0.log'));
    for (let i = 1; i <= 5; i++) log.write('stdout', Buffer.from(`line ${i}\n`));
    await new Promise((r) => setTimeout(r, 20));
    const between = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    log.write('stdout', Buffer.from('line 6\n'));
    log.close();

    expect(await collect(readContainerLog(log, { tailLines: 2 }))).toBe('line 5\nline 6\n');
    expect(await collect(readContainerLog(log, { tailLines: 0 }))).toBe('');
    expect(await collect(readContainerLog(log, { tailLines: 100 }))).toMatch(/^line 1\n.*line 6\n$/s);
    const stamped = (await collect(readContainerLog(log, { tailLines: 1, timestamps: true }))).split(' ');
    expect(stamped[0]).toMatch(RFC3339_NANO);
    expect(stamped.slice(1).join(' ')).toBe('line 6\n');
    expect(await collect(readContainerLog(log, { sinceTime: between }))).toBe('line 6\n');
    expect(await collect(readContainerLog(log, { sinceSeconds: 60 }))).toMatch(/^line 1\n/);
    expect(await collect(readContainerLog(log, { limitBytes: 9 }))).toBe('line 1\nli');
  });

  it('passes a 20 MB line through intact in bounded chunks, with one timestamp', async () => {
    const log = new ContainerLog(join(tmpDir(), 'c', '0.log'));
    const line = Buffer.alloc(20 * 1024 * 1024, 'x');
    line[0] = 'a'.charCodeAt(0);
    line[line.length - 1] = 'z'.charCodeAt(0);
    // Arrives in pipe-sized pieces, as from a real process.
    for (let i = 0; i < line.length; i += 65536) log.write('stdout', line.subarray(i, i + 65536));
    log.write('stdout', Buffer.from('\nafter\n'));
    log.close();
    let biggest = 0;
    const chunks: Buffer[] = [];
    for await (const c of readContainerLog(log, { timestamps: true })) {
      biggest = Math.max(biggest, c.length);
      chunks.push(c);
    }
    const out = Buffer.concat(chunks);
    const firstSpace = out.indexOf(32);
    const body = out.subarray(firstSpace + 1, firstSpace + 1 + line.length);
    expect(body.equals(line)).toBe(true);
    expect(out.subarray(firstSpace + 1 + line.length).toString()).toMatch(/^\n\S+Z after\n$/);
    expect(biggest).toBeLessThan(1024 * 1024);
    expect(await collect(readContainerLog(log, { tailLines: 1 }))).toBe('after\n');
  });

  it('follows a growing log until it is closed', async () => {
    const log = new ContainerLog(join(tmpDir(), 'c', '0.log'));
    log.write('stdout', Buffer.from('first\n'));
    const reading = collect(readContainerLog(log, { follow: true }));
    setTimeout(() => log.write('stdout', Buffer.from('second\n')), 30);
    setTimeout(() => log.close(), 60);
    expect(await reading).toBe('first\nsecond\n');
  });

  it('stops following when the signal aborts', async () => {
    const log = new ContainerLog(join(tmpDir(), 'c', '0.log'));
    log.write('stdout', Buffer.from('only\n'));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    expect(await collect(readContainerLog(log, { follow: true }, ac.signal))).toBe('only\n');
    log.close();
  });
});

describe('PodRuntime.readLog', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('follows a running container until it exits, and streams a 20 MB line from a real process', async () => {
    h = startHarness({ 'example.com/sh:v1': { root: 'images/sh' } }, { 'images/sh/app/.keep': '' });
    const script = 'echo start; sleep 0.3; head -c 20971520 /dev/zero | tr "\\000" y; echo; echo end';
    const pod = h.run(
      makePod('big', {
        containers: [{ name: 'main', image: 'example.com/sh:v1', command: ['sh', '-c', script] }],
      }),
    );
    await h.waitFor(pod, (s) => s.containerStatuses?.[0]?.state.running !== undefined);
    const out = await collect(h.runtime.readLog(pod.metadata.uid ?? '', 'main', { follow: true }));
    expect(out.length).toBe('start\n'.length + 20971520 + '\nend\n'.length);
    expect(out.startsWith('start\nyyyy')).toBe(true);
    expect(out.endsWith('yyyy\nend\n')).toBe(true);
    expect(/^start\ny+\nend\n$/.test(out)).toBe(true);
  });

  it('explains why a log cannot be read', async () => {
    h = startHarness({ 'example.com/sh:v1': { root: 'images/sh' } }, { 'images/sh/app/.keep': '' });
    const pod = h.run(
      makePod('logs', {
        containers: [
          { name: 'main', image: 'example.com/sh:v1', command: ['true'] },
          { name: 'blocked', image: 'example.com/unmapped', command: ['true'] },
        ],
      }),
    );
    await h.waitFor(pod, (s) => s.containerStatuses?.[1]?.state.waiting?.reason === 'ErrImagePull');
    const uid = pod.metadata.uid ?? '';
    const error = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return err instanceof LogError ? `${err.code}: ${err.message}` : String(err);
      }
      return 'no error';
    };
    expect(error(() => h?.runtime.readLog(uid, 'nope'))).toBe(
      'BadRequest: container nope is not valid for pod logs',
    );
    expect(error(() => h?.runtime.readLog(uid, undefined))).toBe(
      'BadRequest: a container name must be specified for pod logs, choose one of: [main blocked]',
    );
    expect(error(() => h?.runtime.readLog(uid, 'blocked'))).toBe(
      'BadRequest: container "blocked" in pod "logs" is waiting to start: ErrImagePull',
    );
    expect(error(() => h?.runtime.readLog(uid, 'main', { previous: true }))).toBe(
      'BadRequest: previous terminated container "main" in pod "logs" not found',
    );
    expect(error(() => h?.runtime.readLog('other-uid', 'main'))).toBe(
      'NotFound: pod with UID other-uid is not on this node',
    );
  });
});
