import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BWRAP_MISSING_MESSAGE,
  ImageMap,
  isAlive,
  PodRuntime,
  type PodSpec,
  type PodStatus,
} from '../src/node/index.js';
import {
  CA_PEM,
  collect,
  FakeObjects,
  type Harness,
  makePod,
  startHarness,
  tmpDir,
  writeTree,
} from './fixtures/node/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const SH = { 'example.com/sh:v1': { root: 'images/sh' } };
const SH_FILES = { 'images/sh/app/.keep': '' };
const isDone = (s: PodStatus) => s.phase === 'Succeeded' || s.phase === 'Failed';
const uidOf = (pod: { metadata: { uid?: string } }) => pod.metadata.uid ?? '';

function shPod(name: string, script: string, extra: Partial<PodSpec> = {}) {
  return makePod(name, {
    containers: [{ name: 'main', image: 'example.com/sh:v1', command: ['sh', '-c', script] }],
    ...extra,
  });
}

async function logsOf(pod: { metadata: { uid?: string } }, container = 'main'): Promise<string> {
  if (!h) throw new Error('no harness');
  return collect(h.runtime.readLog(uidOf(pod), container));
}

describe('pod runtime', () => {
  it('clones a repo in an init container and reads it from a mapped image', async () => {
    const remote = tmpDir('devcluster-remote-');
    const work = tmpDir('devcluster-work-');
    execFileSync('git', ['init', '--bare', '-q', `${remote}/repo.git`]);
    writeTree(work, { README: 'hello from the repo\n' });
    const git = (...args: string[]) => execFileSync('git', ['-C', work, ...args], { stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'init');
    git('push', '-q', `${remote}/repo.git`, 'HEAD:refs/heads/main');

    h = startHarness(
      {
        'example.com/git:v1': { root: 'images/git' },
        'ghcr.io/kelos-dev/reader': { root: 'images/reader', command: ['/app/read.sh'] },
      },
      {
        'images/git/app/.keep': '',
        'images/reader/app/read.sh': '#!/bin/sh\necho "repo says: $(cat /workspace/repo/README)"\n',
      },
    );
    const pod = h.run(
      makePod('clone', {
        // The sandbox's /tmp is its own tmpfs: the host's remote comes in through a hostPath volume.
        volumes: [
          { name: 'ws', emptyDir: {} },
          { name: 'remote', hostPath: { path: remote, type: 'Directory' } },
        ],
        initContainers: [
          {
            name: 'clone',
            image: 'example.com/git:v1',
            command: ['git', 'clone', '-q', '-b', 'main', '/remote/repo.git', '/workspace/repo'],
            volumeMounts: [
              { name: 'ws', mountPath: '/workspace' },
              { name: 'remote', mountPath: '/remote', readOnly: true },
            ],
          },
        ],
        containers: [
          {
            name: 'main',
            image: 'ghcr.io/kelos-dev/reader:v1',
            volumeMounts: [{ name: 'ws', mountPath: '/workspace' }],
          },
        ],
      }),
    );
    const status = await h.waitFor(pod, isDone);
    expect(status.phase).toBe('Succeeded');
    expect(await logsOf(pod)).toBe('repo says: hello from the repo\n');
    expect(status.initContainerStatuses?.[0]?.state.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
    expect(status.initContainerStatuses?.[0]?.ready).toBe(true);
    expect(status.containerStatuses?.[0]).toMatchObject({
      image: 'ghcr.io/kelos-dev/reader:v1',
      imageID: expect.stringMatching(/^ghcr\.io\/kelos-dev\/reader@sha256:[0-9a-f]{64}$/),
      containerID: expect.stringMatching(/^devcluster:\/\/[0-9a-f]{64}$/),
      state: { terminated: { exitCode: 0, reason: 'Completed' } },
    });
    const phases = h.statuses(pod).map((s) => s.phase);
    expect(phases[0]).toBe('Pending');
    expect(h.statuses(pod)[0]?.containerStatuses?.[0]?.state.waiting?.reason).toBe('PodInitializing');
    expect(status.conditions?.find((c) => c.type === 'Initialized')).toMatchObject({
      status: 'True',
      reason: 'PodCompleted',
    });
    expect(status.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'PodCompleted',
    });
  });

  it('expands $(VAR) in command, args and env values like Kubernetes', async () => {
    h = startHarness(
      {
        'example.com/echo:v1': {
          root: 'images/sh',
          command: ['sh', '-c'],
          args: ['echo image-default'],
          env: { FROM_IMAGE: 'img' },
        },
      },
      SH_FILES,
    );
    const pod = h.run(
      makePod('expand', {
        containers: [
          {
            name: 'main',
            image: 'example.com/echo:v1',
            args: ['echo "$1|$2|$3|$4|$GREETING"', 'argv0', '$(NAME)', '$$(NAME)', '$(MISSING)'],
            env: [
              { name: 'NAME', value: 'world' },
              { name: 'GREETING', value: 'hello $(NAME) from $(FROM_IMAGE) on $(KUBERNETES_SERVICE_HOST)' },
              { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            ],
          },
        ],
      }),
    );
    expect((await h.waitFor(pod, isDone)).phase).toBe('Succeeded');
    expect(await logsOf(pod)).toBe('world|$(NAME)|$(MISSING)||hello world from img on 127.0.0.1\n');
  });

  it('uses the image command and args when the container sets neither', async () => {
    h = startHarness(
      {
        'example.com/echo:v1': {
          root: 'images/sh',
          command: ['sh', '-c'],
          args: ['echo image-default; pwd'],
          workingDir: '/app',
        },
      },
      SH_FILES,
    );
    const pod = h.run(makePod('defaults', { containers: [{ name: 'main', image: 'example.com/echo:v1' }] }));
    await h.waitFor(pod, isDone);
    expect(await logsOf(pod)).toBe('image-default\n/app\n');
  });

  it('provides env and volumes from Secrets, ConfigMaps and the downward API', async () => {
    h = startHarness(SH, SH_FILES);
    h.objects.addSecret('team-a', 'creds', { token: 's3cret', user: 'bot' });
    h.objects.addConfigMap('team-a', 'settings', { mode: 'fast', 'app.yaml': 'level: 3\n' });
    const script = [
      'echo "env: $CFG_mode $SEC_user $TOKEN $MODE $POD_NS $POD_UID_SET $LABEL $IP $OPT_MISSING-"',
      'cat /etc/creds/token/value; echo',
      'stat -c "%a" /etc/creds/token/value',
      'cat /etc/settings/app.yaml',
      'cat /etc/proj/user /etc/proj/mode; echo',
      'cat /etc/proj/labels; echo',
      'cat /etc/downward/name; echo',
      'ls /etc/opt | wc -l',
    ].join('; ');
    const pod = h.run(
      makePod('config', {
        volumes: [
          {
            name: 'creds',
            secret: { secretName: 'creds', items: [{ key: 'token', path: 'token/value', mode: 0o400 }] },
          },
          { name: 'settings', configMap: { name: 'settings' } },
          {
            name: 'proj',
            projected: {
              sources: [
                { secret: { name: 'creds', items: [{ key: 'user', path: 'user' }] } },
                { configMap: { name: 'settings', items: [{ key: 'mode', path: 'mode' }] } },
                { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
              ],
            },
          },
          {
            name: 'downward',
            downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] },
          },
          { name: 'opt', secret: { secretName: 'absent', optional: true } },
        ],
        containers: [
          {
            name: 'main',
            image: 'example.com/sh:v1',
            command: ['sh', '-c', script],
            envFrom: [
              { configMapRef: { name: 'settings' }, prefix: 'CFG_' },
              { secretRef: { name: 'creds' }, prefix: 'SEC_' },
              { secretRef: { name: 'absent', optional: true } },
            ],
            env: [
              { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } },
              { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } },
              { name: 'POD_NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              { name: 'POD_UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
              { name: 'POD_UID_SET', value: '$(POD_UID)' },
              { name: 'LABEL', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
              { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
              {
                name: 'OPT_MISSING',
                valueFrom: { secretKeyRef: { name: 'creds', key: 'nope', optional: true } },
              },
            ],
            volumeMounts: [
              { name: 'creds', mountPath: '/etc/creds', readOnly: true },
              { name: 'settings', mountPath: '/etc/settings' },
              { name: 'proj', mountPath: '/etc/proj' },
              { name: 'downward', mountPath: '/etc/downward' },
              { name: 'opt', mountPath: '/etc/opt' },
            ],
          },
        ],
      }),
    );
    expect((await h.waitFor(pod, isDone)).phase).toBe('Succeeded');
    expect(await logsOf(pod)).toBe(
      [
        `env: fast bot s3cret fast team-a ${uidOf(pod)} config 127.0.0.1 -`,
        's3cret',
        '400',
        'level: 3',
        'botfast',
        'app="config"',
        'config',
        '0',
        '',
      ].join('\n'),
    );
  });

  it('mounts the service account token, CA and namespace, and points env at the API server', async () => {
    h = startHarness(SH, SH_FILES);
    const dir = '/var/run/secrets/kubernetes.io/serviceaccount';
    const pod = h.run(
      shPod(
        'sa',
        `cat ${dir}/token; echo; cat ${dir}/namespace; echo; cat ${dir}/ca.crt; echo "$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT"`,
        {
          serviceAccountName: 'agent',
        },
      ),
    );
    await h.waitFor(pod, isDone);
    expect(await logsOf(pod)).toBe(`token-for-team-a-agent\nteam-a\n${CA_PEM}127.0.0.1:6443\n`);
    expect(h.objects.tokenRequests[0]).toMatchObject({
      namespace: 'team-a',
      serviceAccountName: 'agent',
      pod: { name: 'sa' },
    });

    const noSa = h.run(
      shPod('nosa', `test -e ${dir}/token && echo present || echo absent`, {
        automountServiceAccountToken: false,
      }),
    );
    await h.waitFor(noSa, isDone);
    expect(await logsOf(noSa)).toBe('absent\n');
  });

  it('waits with CreateContainerConfigError for a missing Secret, then starts once it exists', async () => {
    h = startHarness(SH, SH_FILES);
    const pod = h.run(
      makePod('needs-secret', {
        containers: [
          {
            name: 'main',
            image: 'example.com/sh:v1',
            command: ['sh', '-c', 'echo $KEY'],
            env: [{ name: 'KEY', valueFrom: { secretKeyRef: { name: 'api', key: 'key' } } }],
          },
        ],
      }),
    );
    let status = await h.waitFor(
      pod,
      (s) => s.containerStatuses?.[0]?.state.waiting?.reason === 'CreateContainerConfigError',
    );
    expect(status.phase).toBe('Pending');
    expect(status.containerStatuses?.[0]?.state.waiting?.message).toBe('secret "api" not found');

    h.objects.addSecret('team-a', 'api', { other: 'x' });
    status = await h.waitFor(
      pod,
      (s) => s.containerStatuses?.[0]?.state.waiting?.message !== 'secret "api" not found',
    );
    expect(status.containerStatuses?.[0]?.state.waiting).toEqual({
      reason: 'CreateContainerConfigError',
      message: "couldn't find key key in Secret team-a/api",
    });

    h.objects.addSecret('team-a', 'api', { key: 'finally' });
    expect((await h.waitFor(pod, isDone)).phase).toBe('Succeeded');
    expect(await logsOf(pod)).toBe('finally\n');
  });

  it('reports ErrImagePull for an image missing from the map and runs it once mapped', async () => {
    h = startHarness(SH, SH_FILES);
    const pod = h.run(
      makePod('unmapped', {
        containers: [{ name: 'main', image: 'ghcr.io/acme/tool:1.0', command: ['true'] }],
      }),
    );
    const status = await h.waitFor(
      pod,
      (s) => s.containerStatuses?.[0]?.state.waiting?.reason === 'ErrImagePull',
    );
    expect(status.phase).toBe('Pending');
    expect(status.containerStatuses?.[0]?.state.waiting?.message).toBe(
      `image "ghcr.io/acme/tool:1.0" is not in the dev cluster image map (${h.images.path}); add it to the map`,
    );
    // Editing the map unblocks the pod, as a successful pull would.
    writeTree(h.dir, { 'images.yaml': 'images:\n  "ghcr.io/acme/*":\n    root: images/sh\n' });
    expect((await h.waitFor(pod, isDone)).phase).toBe('Succeeded');
  });

  it('maps exit codes to terminated states and restarts per restartPolicy', async () => {
    h = startHarness(SH, SH_FILES);
    const failed = h.run(shPod('exit3', 'echo oops >/dev/termination-log; exit 3'));
    const status = await h.waitFor(failed, isDone);
    expect(status.phase).toBe('Failed');
    expect(status.containerStatuses?.[0]?.state.terminated).toMatchObject({
      exitCode: 3,
      reason: 'Error',
      message: 'oops\n',
    });
    expect(status.conditions?.find((c) => c.type === 'ContainersReady')).toMatchObject({
      status: 'False',
      reason: 'PodFailed',
    });

    const fallback = h.run(
      makePod('fallback', {
        containers: [
          {
            name: 'main',
            image: 'example.com/sh:v1',
            command: ['sh', '-c', 'echo last words; exit 1'],
            terminationMessagePolicy: 'FallbackToLogsOnError',
          },
        ],
      }),
    );
    expect((await h.waitFor(fallback, isDone)).containerStatuses?.[0]?.state.terminated?.message).toBe(
      'last words\n',
    );

    // OnFailure: fails twice (counting in an emptyDir), then succeeds.
    const flaky = h.run(
      makePod('flaky', {
        restartPolicy: 'OnFailure',
        volumes: [{ name: 'data', emptyDir: {} }],
        containers: [
          {
            name: 'main',
            image: 'example.com/sh:v1',
            command: [
              'sh',
              '-c',
              'n=$(cat /data/n 2>/dev/null || echo 0); n=$((n+1)); echo $n >/data/n; echo run $n; [ $n -ge 3 ]',
            ],
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          },
        ],
      }),
    );
    const crash = await h.waitFor(
      flaky,
      (s) => s.containerStatuses?.[0]?.state.waiting?.reason === 'CrashLoopBackOff',
    );
    expect(crash.phase).toBe('Running');
    expect(crash.containerStatuses?.[0]?.state.waiting?.message).toMatch(
      new RegExp(`^back-off 0s restarting failed container=main pod=flaky_team-a\\(${uidOf(flaky)}\\)$`),
    );
    const done = await h.waitFor(flaky, isDone);
    expect(done.phase).toBe('Succeeded');
    expect(done.containerStatuses?.[0]).toMatchObject({
      restartCount: 2,
      state: { terminated: { exitCode: 0 } },
      lastState: { terminated: { exitCode: 1, reason: 'Error' } },
    });
    expect(await logsOf(flaky)).toBe('run 3\n');
    expect(await collect(h.runtime.readLog(uidOf(flaky), 'main', { previous: true }))).toBe('run 2\n');
  });

  it('fails the pod when an init container fails with restartPolicy Never', async () => {
    h = startHarness(SH, SH_FILES);
    const pod = h.run(
      makePod('init-fails', {
        initContainers: [{ name: 'setup', image: 'example.com/sh:v1', command: ['sh', '-c', 'exit 7'] }],
        containers: [{ name: 'main', image: 'example.com/sh:v1', command: ['true'] }],
      }),
    );
    // The phase turns Failed first; the never-started container is then marked as the kubelet's TerminatePod does.
    const status = await h.waitFor(
      pod,
      (s) => isDone(s) && s.containerStatuses?.[0]?.state.terminated !== undefined,
    );
    expect(status.phase).toBe('Failed');
    expect(status.initContainerStatuses?.[0]?.state.terminated).toMatchObject({
      exitCode: 7,
      reason: 'Error',
    });
    expect(status.conditions?.find((c) => c.type === 'Initialized')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [setup]',
    });
    expect(status.containerStatuses?.[0]?.state.terminated).toMatchObject({
      exitCode: 137,
      reason: 'ContainerStatusUnknown',
    });
  });

  it('keeps a native sidecar running next to the main container and stops it at the end', async () => {
    h = startHarness(SH, SH_FILES);
    const pod = h.run(
      makePod('sidecar', {
        volumes: [{ name: 'shared', emptyDir: {} }],
        initContainers: [
          {
            name: 'side',
            image: 'example.com/sh:v1',
            restartPolicy: 'Always',
            command: ['sh', '-c', 'echo up >/shared/side; exec sleep 600'],
            volumeMounts: [{ name: 'shared', mountPath: '/shared' }],
          },
        ],
        containers: [
          {
            name: 'main',
            image: 'example.com/sh:v1',
            command: ['sh', '-c', 'while [ ! -e /shared/side ]; do sleep 0.05; done; cat /shared/side'],
            volumeMounts: [{ name: 'shared', mountPath: '/shared' }],
          },
        ],
      }),
    );
    const running = await h.waitFor(pod, (s) => s.initContainerStatuses?.[0]?.state.running !== undefined);
    expect(running.initContainerStatuses?.[0]).toMatchObject({ started: true, ready: true });
    const status = await h.waitFor(pod, isDone);
    expect(status.phase).toBe('Succeeded');
    expect(await logsOf(pod)).toBe('up\n');
    expect(status.initContainerStatuses?.[0]?.state.terminated?.exitCode).toBe(143);
  });

  it('reports Running with Ready conditions while containers run', async () => {
    h = startHarness(SH, SH_FILES);
    const pod = h.run(shPod('runner', 'exec sleep 600', { restartPolicy: 'Always' }));
    const status = await h.waitFor(pod, (s) => s.phase === 'Running');
    expect(status).toMatchObject({ hostIP: '127.0.0.1', podIP: '127.0.0.1', startTime: expect.any(String) });
    expect(status.containerStatuses?.[0]).toMatchObject({
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: {} },
    });
    expect(status.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
    const final = await h.runtime.deletePod(uidOf(pod), {
      gracePeriodSeconds: 5,
      disruption: { reason: 'TerminationByKubelet', message: 'node is shutting down' },
    });
    expect(final?.phase).toBe('Failed');
    expect(final?.containerStatuses?.[0]?.state.terminated).toMatchObject({ exitCode: 143, reason: 'Error' });
    expect(final?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'TerminationByKubelet',
    });
  });

  it('SIGTERMs the whole process tree, SIGKILLs it after the grace period, and cleans up', async () => {
    h = startHarness(SH, SH_FILES);
    // Every process ignores SIGTERM (the ignore disposition is inherited), one even left the process group.
    const script = "trap '' TERM; sleep 6123 & setsid sleep 6123 & sh -c 'sleep 6123; true' & wait";
    const pod = h.run(shPod('stubborn', script, { restartPolicy: 'Always' }));
    await h.waitFor(pod, (s) => s.phase === 'Running');
    const sleepers = await waitForProcesses((cmd) => cmd === 'sleep\u00006123\u0000', 3);
    const podDir = `${h.dir}/node/pods/${uidOf(pod)}`;
    expect(readdirSync(podDir)).toContain('logs');

    const started = Date.now();
    const final = await h.runtime.deletePod(uidOf(pod), { gracePeriodSeconds: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(final?.containerStatuses?.[0]?.state.terminated?.exitCode).toBe(137);
    expect(sleepers.filter(isAlive)).toEqual([]);
    expect(() => readdirSync(podDir)).toThrow();
    expect(h.runtime.getPodStatus(uidOf(pod))).toBeUndefined();
  });

  it('lets a container handle SIGTERM and exit cleanly within the grace period', async () => {
    h = startHarness(SH, SH_FILES);
    const pod = h.run(
      shPod('graceful', "trap 'echo bye; exit 0' TERM; echo ready; sleep 600 & wait", {
        restartPolicy: 'Always',
      }),
    );
    await h.waitFor(pod, (s) => s.phase === 'Running');
    await waitForLog(pod, 'ready\n');
    const final = await h.runtime.deletePod(uidOf(pod), { gracePeriodSeconds: 10 });
    expect(final?.phase).toBe('Succeeded');
    expect(final?.containerStatuses?.[0]?.state.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
  });

  it('fails a pod past activeDeadlineSeconds with DeadlineExceeded', async () => {
    h = startHarness(SH, SH_FILES);
    const pod = h.run(
      shPod('slow', 'exec sleep 600', { activeDeadlineSeconds: 1, terminationGracePeriodSeconds: 1 }),
    );
    const status = await h.waitFor(pod, isDone);
    expect(status).toMatchObject({
      phase: 'Failed',
      reason: 'DeadlineExceeded',
      message: 'Pod was active on the node longer than the specified deadline',
    });
    expect(status.containerStatuses?.[0]?.state.terminated?.exitCode).toBe(143);
  });

  it('lays the image over the host: image files added to /usr/local/bin, host tools still there', async () => {
    h = startHarness(
      { 'example.com/tools:v1': { root: 'images/tools' } },
      { 'images/tools/usr/local/bin/greet': '#!/bin/sh\necho "greetings from $(pwd)"; command -v git\n' },
    );
    const pod = h.run(
      makePod('tools', {
        volumes: [{ name: 'ws', emptyDir: {} }],
        containers: [
          {
            name: 'main',
            image: 'example.com/tools:v1',
            command: ['greet'],
            workingDir: '/workspace/repo/sub',
            volumeMounts: [{ name: 'ws', mountPath: '/workspace' }],
          },
        ],
      }),
    );
    expect((await h.waitFor(pod, isDone)).phase).toBe('Succeeded');
    expect(await logsOf(pod)).toBe('greetings from /workspace/repo/sub\n/usr/bin/git\n');
  });

  it('refuses to start without bwrap, saying how to install it', () => {
    const dir = tmpDir();
    writeTree(dir, { 'images.yaml': 'images: {}\n' });
    expect(
      () =>
        new PodRuntime({
          dataDir: dir,
          images: new ImageMap(`${dir}/images.yaml`),
          objects: new FakeObjects(),
          apiServer: { host: '127.0.0.1', port: 6443, caCert: CA_PEM },
          onStatus: () => undefined,
          bwrapPath: '/nonexistent/bwrap',
        }),
    ).toThrow(BWRAP_MISSING_MESSAGE);
  });
});

async function waitForLog(pod: { metadata: { uid?: string } }, text: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await logsOf(pod)).includes(text)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`log never contained ${text}`);
}

/** Host pids whose /proc cmdline matches, once at least `count` exist. */
async function waitForProcesses(match: (cmdline: string) => boolean, count: number): Promise<number[]> {
  for (let i = 0; i < 200; i++) {
    const pids = readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return match(readFileSync(`/proc/${p}/cmdline`, 'latin1'));
        } catch {
          return false;
        }
      })
      .map(Number);
    if (pids.length >= count) return pids;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('processes never appeared');
}
