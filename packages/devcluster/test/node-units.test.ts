import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bwrapArgs,
  type ContainerStatus,
  computePodStatus,
  expandVars,
  getPhase,
  HOST_VIEW,
  ImageMap,
  matchImage,
  type PodSpec,
  parseImageMap,
  planRootfs,
  stripTagAndDigest,
} from '../src/node/index.js';
import { tmpDir, writeTree } from './fixtures/node/harness.js';

describe('expandVars', () => {
  const vars: Record<string, string> = { A: 'alpha', B: 'beta', EMPTY: '' };
  const lookup = (n: string) => vars[n];
  it.each([
    ['$(A)', 'alpha'],
    ['x$(A)y$(B)z', 'xalphaybetaz'],
    ['$$(A)', '$(A)'],
    ['$$$(A)', '$alpha'],
    ['$$$$(A)', '$$(A)'],
    ['$(UNKNOWN)', '$(UNKNOWN)'],
    ['$(EMPTY)!', '!'],
    ['$(A', '$(A'],
    ['$A', '$A'],
    ['cost: 5$', 'cost: 5$'],
    ['$$', '$'],
    ['$()', '$()'],
    ['no vars', 'no vars'],
    ['$(A)$(A)', 'alphaalpha'],
  ])('%s → %s', (input, out) => {
    expect(expandVars(input, lookup)).toBe(out);
  });
});

describe('image map', () => {
  const images = parseImageMap(
    [
      'images:',
      '  ghcr.io/kelos-dev/claude-code:',
      '    root: ./claude',
      '    command: [/usr/local/bin/claude]',
      '  ghcr.io/kelos-dev/claude-code:v2:',
      '    root: /abs/claude-v2',
      '  "ghcr.io/kelos-dev/*":',
      '    root: generic',
      '  "ghcr.io/*":',
      '    root: any',
      '  localhost:5000/tool:',
      '    root: tool',
      '    env: { N: 1 }',
    ].join('\n'),
    '/maps/images.yaml',
  );
  it.each([
    ['ghcr.io/kelos-dev/claude-code:v2', '/abs/claude-v2'],
    ['ghcr.io/kelos-dev/claude-code:v1', '/maps/claude'],
    ['ghcr.io/kelos-dev/claude-code', '/maps/claude'],
    [`ghcr.io/kelos-dev/claude-code@sha256:${'a'.repeat(64)}`, '/maps/claude'],
    ['ghcr.io/kelos-dev/codex:latest', '/maps/generic'],
    ['ghcr.io/other/thing:1', '/maps/any'],
    ['localhost:5000/tool:3', '/maps/tool'],
    ['docker.io/library/busybox', undefined],
  ])('%s → %s', (ref, root) => {
    expect(matchImage(images, ref)?.config.root).toBe(root);
  });

  it('keeps the image config and stringifies env', () => {
    expect(matchImage(images, 'ghcr.io/kelos-dev/claude-code:v1')?.config.command).toEqual([
      '/usr/local/bin/claude',
    ]);
    expect(matchImage(images, 'localhost:5000/tool')?.config.env).toEqual({ N: '1' });
  });

  it.each([
    ['busybox:1.36', 'busybox'],
    ['localhost:5000/x', 'localhost:5000/x'],
    ['localhost:5000/x:tag', 'localhost:5000/x'],
    ['r.io/a/b:t@sha256:abc', 'r.io/a/b'],
  ])('strips tag and digest: %s → %s', (ref, out) => {
    expect(stripTagAndDigest(ref)).toBe(out);
  });

  it('resolves hostPaths against the map file and rejects non-lists', () => {
    const images = parseImageMap('images:\n  x: { root: r, hostPaths: [/abs, rel] }\n', '/maps/m.yaml');
    expect(images.get('x')?.hostPaths).toEqual(['/abs', '/maps/rel']);
    expect(() => parseImageMap('images:\n  x: { root: r, hostPaths: /abs }\n', '/m.yaml')).toThrow(
      '"hostPaths" must be a list of strings',
    );
  });

  it('rejects malformed entries with the file and image in the message', () => {
    expect(() => parseImageMap('images:\n  x: { command: [a] }\n', '/m.yaml')).toThrow(
      '/m.yaml: image "x" needs a "root" directory',
    );
    expect(() => parseImageMap('images:\n  x: { root: r, args: 3 }\n', '/m.yaml')).toThrow(
      '"args" must be a list of strings',
    );
  });

  it('re-reads the file when it changes and reports unmapped images with its path', async () => {
    const dir = tmpDir();
    const path = join(dir, 'images.yaml');
    writeFileSync(path, 'images: {}\n');
    const map = new ImageMap(path);
    expect(map.resolve('a/b:1')).toBeUndefined();
    expect(map.notMappedMessage('a/b:1')).toBe(
      `image "a/b:1" is not in the dev cluster image map (${path}); add it to the map`,
    );
    await new Promise((r) => setTimeout(r, 20));
    writeFileSync(path, 'images:\n  a/b:\n    root: img\n');
    expect(map.resolve('a/b:1')).toMatchObject({
      reference: 'a/b:1',
      root: join(dir, 'img'),
      imageID: expect.stringMatching(/^a\/b@sha256:/),
    });
  });
});

describe('rootfs plan', () => {
  function fakeHost() {
    const host = tmpDir('devcluster-host-');
    writeTree(host, {
      'usr/bin/sh': '',
      'usr/lib/libc.so': '',
      'usr/local/bin/existing': '',
      'etc/hosts': '',
      'proc/.keep': '',
      'tmp/.keep': '',
      'var/log/.keep': '',
    });
    mkdirSync(join(host, 'run'));
    symlinkSync('usr/bin', join(host, 'bin'));
    symlinkSync('../run', join(host, 'var/run'));
    const image = writeTree(tmpDir('devcluster-image-'), {
      'usr/local/bin/agent': '#!/bin/sh\n',
      'opt/agent/run': '',
      'bin/extra': '',
    });
    return { host, image };
  }
  const pairs = (args: string[]) => args.map((a, i) => `${a} ${args[i + 1]}`);

  it('binds host entries read-only and lays image entries over them, composing only merged dirs', () => {
    const { host, image } = fakeHost();
    const args = planRootfs(image, [], host);
    const text = args.join(' ');
    expect(text).toContain(`--symlink usr/bin /bin`);
    expect(text).toContain(`--ro-bind-try ${host}/etc /etc`);
    // A composed dir's files are symlinks into the one read-only view of the host's /usr.
    expect(text).toContain(`--ro-bind ${host}/usr ${HOST_VIEW}/usr`);
    expect(text).toContain(`--dir /usr --dir /usr/bin --symlink ${HOST_VIEW}/usr/bin/sh /usr/bin/sh`);
    expect(text).toContain(`--ro-bind-try ${host}/usr/lib /usr/lib`);
    expect(text).toContain(
      `--dir /usr/local --dir /usr/local/bin --symlink ${HOST_VIEW}/usr/local/bin/existing /usr/local/bin/existing --ro-bind ${image}/usr/local/bin/agent /usr/local/bin/agent`,
    );
    // bin/ in the image merges into /usr/bin through the host's /bin -> usr/bin symlink.
    expect(text).toContain(`--ro-bind ${image}/bin/extra /usr/bin/extra`);
    expect(text).toContain(`--ro-bind ${image}/opt /opt`);
    expect(text).toContain(`--ro-bind-try ${host}/var /var`);
    expect(pairs(args).some((p) => p.includes('/proc') || p.endsWith(' /tmp'))).toBe(false);
  });

  it('composes the deepest existing host dir of a path that must be created', () => {
    const { host, image } = fakeHost();
    const text = planRootfs(image, ['/etc/kelos/conf', '/var/run/secrets/x', '/workspace'], host).join(' ');
    expect(text).toContain(`--dir /etc --symlink ${HOST_VIEW}/etc/hosts /etc/hosts`);
    expect(text).toContain(`--ro-bind ${host}/etc ${HOST_VIEW}/etc`);
    expect(text).toContain('--dir /run');
    expect(text).not.toContain(`--ro-bind-try ${host}/etc /etc`);
  });

  it('mounts a few binds however many files the directories it adds to hold', () => {
    const { host, image } = fakeHost();
    // A host /usr/bin as full as a real one, and an image that adds one file to it (as agents/fake adds
    // /usr/bin/tini): binding each host file made pod start take a minute under load.
    for (let i = 0; i < 1000; i++) writeFileSync(join(host, 'usr/bin', `tool-${i}`), '');
    writeTree(image, { 'usr/bin/tini': '' });
    const args = planRootfs(image, ['/etc/kelos/conf', '/workspace'], host);
    const mounts = args.filter((a) => a === '--ro-bind' || a === '--ro-bind-try' || a === '--bind');
    expect(mounts.length).toBeLessThan(20);
    expect(pairs(args)).toContain(`--ro-bind ${image}/usr/bin/tini`);
    expect(args.filter((a) => a.startsWith(`${HOST_VIEW}/usr/bin/tool-`))).toHaveLength(1000);
  });

  it('builds the full bwrap command line with volumes, workingDir and the command last', () => {
    const args = bwrapArgs({
      bwrapPath: '/usr/bin/bwrap',
      imageRoot: tmpDir(),
      argv: ['sh', '-c', 'echo hi'],
      env: new Map(),
      workingDir: '/workspace/repo',
      mounts: [
        { source: '/data/ws/sub', target: '/workspace/sub', readOnly: true },
        { source: '/data/ws', target: '/workspace', readOnly: false },
      ],
      hostname: 'pod-a',
    });
    const text = args.join(' ');
    expect(args.slice(0, 6)).toEqual([
      '--die-with-parent',
      '--unshare-pid',
      '--unshare-ipc',
      '--unshare-uts',
      '--hostname',
      'pod-a',
    ]);
    expect(text).toContain(
      '--proc /proc --dev /dev --tmpfs /tmp --bind /data/ws /workspace --ro-bind /data/ws/sub /workspace/sub',
    );
    expect(text).toMatch(/--dir \/workspace\/repo --chdir \/workspace\/repo -- sh -c echo hi$/);
    expect(text).not.toContain('--share-net');
    expect(text).not.toContain('--unshare-net');
  });

  it('binds an image’s host paths read-only after the private /tmp, before the volumes', () => {
    const text = bwrapArgs({
      bwrapPath: '/usr/bin/bwrap',
      imageRoot: tmpDir(),
      argv: ['true'],
      env: new Map(),
      workingDir: '/',
      mounts: [{ source: '/data/ws', target: '/workspace', readOnly: false }],
      hostPaths: ['/tmp/checkout'],
      hostname: 'pod-a',
    }).join(' ');
    expect(text).toContain('--tmpfs /tmp --ro-bind /tmp/checkout /tmp/checkout --bind /data/ws /workspace');
  });
});

const term = (exitCode: number): ContainerStatus['state'] => ({ terminated: { exitCode } });
function cs(
  name: string,
  state: ContainerStatus['state'],
  lastState: ContainerStatus['state'] = {},
  started = false,
): ContainerStatus {
  return { name, state, lastState, ready: false, started, restartCount: 0, image: 'i', imageID: '' };
}
const spec = (
  restartPolicy: string,
  init: { name: string; restartPolicy?: string }[] = [],
  names = ['a'],
): PodSpec => ({
  restartPolicy,
  initContainers: init,
  containers: names.map((name) => ({ name })),
});

describe('getPhase (kubelet rules)', () => {
  const running = { running: {} };
  const waiting = { waiting: { reason: 'ContainerCreating' } };
  it.each<[string, PodSpec, ContainerStatus[], ContainerStatus[], boolean, string]>([
    ['nothing reported', spec('Never'), [], [], false, 'Pending'],
    ['waiting', spec('Never'), [], [cs('a', waiting)], false, 'Pending'],
    ['running', spec('Never'), [], [cs('a', running)], false, 'Running'],
    [
      'all succeeded',
      spec('Never', [], ['a', 'b']),
      [],
      [cs('a', term(0)), cs('b', term(0))],
      false,
      'Succeeded',
    ],
    [
      'one failed, Never',
      spec('Never', [], ['a', 'b']),
      [],
      [cs('a', term(0)), cs('b', term(1))],
      false,
      'Failed',
    ],
    ['one failed, OnFailure (restarting)', spec('OnFailure'), [], [cs('a', term(1))], false, 'Running'],
    ['all exited, Always', spec('Always'), [], [cs('a', term(0))], false, 'Running'],
    ['crash loop waiting with lastState', spec('Always'), [], [cs('a', waiting, term(1))], false, 'Running'],
    [
      'one running one done',
      spec('Never', [], ['a', 'b']),
      [],
      [cs('a', running), cs('b', term(1))],
      false,
      'Running',
    ],
    [
      'init running',
      spec('Never', [{ name: 'i' }]),
      [cs('i', running)],
      [cs('a', waiting)],
      false,
      'Pending',
    ],
    [
      'init failed, Never',
      spec('Never', [{ name: 'i' }]),
      [cs('i', term(2))],
      [cs('a', waiting)],
      false,
      'Failed',
    ],
    [
      'init failed, OnFailure',
      spec('OnFailure', [{ name: 'i' }]),
      [cs('i', waiting, term(2))],
      [cs('a', waiting)],
      false,
      'Pending',
    ],
    [
      'init done, main running',
      spec('Never', [{ name: 'i' }]),
      [cs('i', term(0))],
      [cs('a', running)],
      false,
      'Running',
    ],
    [
      'sidecar not started yet',
      spec('Never', [{ name: 's', restartPolicy: 'Always' }]),
      [cs('s', waiting)],
      [cs('a', waiting)],
      false,
      'Pending',
    ],
    [
      'sidecar running, main done',
      spec('Never', [{ name: 's', restartPolicy: 'Always' }]),
      [cs('s', running, {}, true)],
      [cs('a', term(0))],
      false,
      'Running',
    ],
    [
      'sidecar stopped, main done',
      spec('Never', [{ name: 's', restartPolicy: 'Always' }]),
      [cs('s', term(143))],
      [cs('a', term(0))],
      false,
      'Succeeded',
    ],
    ['terminal, killed', spec('Always'), [], [cs('a', term(143))], true, 'Failed'],
    ['terminal, clean exit', spec('Always'), [], [cs('a', term(0))], true, 'Succeeded'],
  ])('%s → %s', (_name, podSpec, init, regular, terminal, phase) => {
    expect(getPhase(podSpec, init, regular, terminal)).toBe(phase);
  });
});

describe('computePodStatus', () => {
  const base = { sandboxReady: true, terminal: false, now: '2024-01-01T00:00:00Z', ip: '127.0.0.1' };
  it('lists unready containers Go-style and keeps transition times of unchanged conditions', () => {
    const s1 = computePodStatus({
      ...base,
      spec: spec('Always', [], ['a', 'b']),
      initContainerStatuses: [],
      containerStatuses: [cs('a', { running: {} }), cs('b', { waiting: { reason: 'ContainerCreating' } })],
    });
    expect(s1.phase).toBe('Pending');
    expect(s1.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [b]',
    });
    const s2 = computePodStatus({
      ...base,
      now: '2024-01-01T00:01:00Z',
      previous: s1,
      spec: spec('Always', [], ['a', 'b']),
      initContainerStatuses: [],
      containerStatuses: [cs('a', { running: {} }), cs('b', { running: {} })],
    });
    expect(s2.phase).toBe('Running');
    const times = Object.fromEntries(s2.conditions?.map((c) => [c.type, c.lastTransitionTime]) ?? []);
    expect(times).toEqual({
      PodReadyToStartContainers: '2024-01-01T00:00:00Z',
      Initialized: '2024-01-01T00:00:00Z',
      Ready: '2024-01-01T00:01:00Z',
      ContainersReady: '2024-01-01T00:01:00Z',
      PodScheduled: '2024-01-01T00:00:00Z',
    });
    expect(s2.containerStatuses?.every((c) => c.ready && c.started)).toBe(true);
  });

  it('reports DeadlineExceeded and DisruptionTarget', () => {
    const s = computePodStatus({
      ...base,
      terminal: true,
      deadlineExceeded: true,
      disruption: { reason: 'TerminationByKubelet', message: 'evicted' },
      spec: spec('Never'),
      initContainerStatuses: [],
      containerStatuses: [cs('a', term(143))],
    });
    expect(s).toMatchObject({ phase: 'Failed', reason: 'DeadlineExceeded' });
    expect(s.conditions?.at(-1)).toMatchObject({
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'TerminationByKubelet',
    });
    expect(s.conditions?.[0]).toMatchObject({ type: 'PodReadyToStartContainers', status: 'False' });
  });
});
