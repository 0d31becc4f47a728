import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENTS_DIR, REPO_ROOT } from './fixtures/agents/image.js';

/**
 * The agent Dockerfiles, read (no test builds images): every bundled agent image builds FROM the
 * agent base (agents/base/Dockerfile), which installs what all of them share, and adds only its own
 * CLI, entrypoint, user and image config.
 */

const BASE_IMAGE_ARG = 'ARG BASE_IMAGE=ghcr.io/kelos-dev/agent-base:dev';
/** agents/<name>, which every bundled image has at /kelos/<name> for its entrypoint to source. */
const SHARED_SCRIPTS = ['setup-command.sh', 'install-skills.sh'];
/** Per agent Dockerfile: the user (UID 61100) and the CLI its ENTRYPOINT starts under tini. */
const IMAGES: Record<string, { user: string; cli: string }> = {
  'claude-code': { user: 'claude', cli: 'claude' },
  codex: { user: 'agent', cli: 'codex' },
  gemini: { user: 'agent', cli: 'gemini' },
  opencode: { user: 'agent', cli: 'opencode' },
  cursor: { user: 'agent', cli: 'agent' },
  fake: { user: 'agent', cli: '/kelos_entrypoint.sh' },
};
const AGENTS = ['claude-code', 'codex', 'gemini', 'opencode', 'cursor'];

interface Instruction {
  keyword: string;
  args: string;
}

/** The instructions of a Dockerfile: comments (and the syntax directive) dropped, continuations joined. */
function instructions(dir: string): Instruction[] {
  const text = readFileSync(join(AGENTS_DIR, dir, 'Dockerfile'), 'utf8');
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\s*\\\n\s*/g, ' ');
  return joined
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line.trim()) ?? [];
      return { keyword: keyword.toUpperCase(), args: args.trim() };
    });
}

/** The instructions of each build stage, from its FROM on. */
function stages(list: Instruction[]): Instruction[][] {
  const result: Instruction[][] = [];
  for (const instruction of list) {
    if (instruction.keyword === 'FROM') result.push([]);
    result.at(-1)?.push(instruction);
  }
  return result;
}

const args = (list: Instruction[], keyword: string) =>
  list.filter((i) => i.keyword === keyword).map((i) => i.args);

describe('agent base Dockerfile', () => {
  const base = instructions('base');
  const [capture, runtime] = stages(base);

  it('builds kelos-capture in a first stage and the base on ubuntu:24.04', () => {
    expect(stages(base)).toHaveLength(2);
    expect(capture?.[0]?.args).toBe('node:22-bookworm-slim AS capture');
    // The bundle, not the package with its dependencies (packages/controller/scripts/bundle.mjs).
    expect(args(capture ?? [], 'RUN').join('\n')).toContain('node packages/controller/scripts/bundle.mjs');
    expect(runtime?.[0]?.args).toBe('ubuntu:24.04');
  });

  it('installs kelos-capture, the gh wrapper and the shared scripts every entrypoint sources', () => {
    const copies = args(runtime ?? [], 'COPY');
    expect(copies).toContain(
      '--from=capture --chmod=0755 /src/packages/controller/dist/bundle/kelos-capture.mjs /opt/kelos-capture/',
    );
    expect(args(runtime ?? [], 'RUN')).toContain(
      'mkdir -p /kelos && ln -s /opt/kelos-capture/kelos-capture.mjs /kelos/kelos-capture',
    );
    expect(copies).toContain('agents/gh-wrapper.sh /usr/local/bin/gh');
    expect(copies).toContain(`${SHARED_SCRIPTS.map((s) => `agents/${s}`).join(' ')} /kelos/`);
  });

  it('holds the OS packages, Node, gh, Go and /workspace, and leaves user and entrypoint to the agents', () => {
    const run = args(runtime ?? [], 'RUN').join('\n');
    expect(run).toContain(
      'apt-get install -y --no-install-recommends ca-certificates curl git gnupg make tini',
    );
    expect(run).toContain('apt-get install -y --no-install-recommends nodejs gh');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Dockerfile build args, not a template
    expect(run).toContain('https://go.dev/dl/go${GO_VERSION}.linux-${TARGETARCH}.tar.gz');
    expect(run).toContain('mkdir -p /workspace && chown 61100:61100 /workspace');
    for (const keyword of ['USER', 'WORKDIR', 'ENTRYPOINT', 'CMD']) {
      expect(args(runtime ?? [], keyword), keyword).toEqual([]);
    }
  });
});

describe.each(Object.entries(IMAGES))('agents/%s/Dockerfile', (dir, { user, cli }) => {
  const list = instructions(dir);

  it('builds FROM the BASE_IMAGE arg, ghcr.io/kelos-dev/agent-base:dev unless overridden, in one stage', () => {
    expect(list[0]).toEqual({ keyword: 'ARG', args: BASE_IMAGE_ARG.slice('ARG '.length) });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile build arg, not a template
    expect(list[1]).toEqual({ keyword: 'FROM', args: '${BASE_IMAGE}' });
    expect(args(list, 'FROM')).toHaveLength(1);
  });

  it('repeats nothing the base installs', () => {
    const all = list.map((i) => `${i.keyword} ${i.args}`).join('\n');
    for (const shared of [
      'kelos-capture',
      'gh-wrapper.sh',
      'nodesource',
      'go.dev/dl',
      'ubuntu',
      ...SHARED_SCRIPTS,
    ]) {
      const fromRootfs = dir === 'fake' && shared === 'setup-command.sh';
      if (!fromRootfs) expect(all, shared).not.toContain(shared);
    }
  });

  it('installs its entrypoint and keeps its user, env, workdir and entrypoint', () => {
    const source =
      dir === 'fake' ? 'agents/fake/rootfs/kelos_entrypoint.sh' : `agents/${dir}/kelos_entrypoint.sh`;
    expect(args(list, 'COPY')).toContain(`${source} /kelos_entrypoint.sh`);
    expect(args(list, 'RUN')).toContain(
      `groupadd --gid 61100 ${user} && useradd --uid 61100 --gid 61100 --create-home --shell /bin/bash ${user}`,
    );
    expect(args(list, 'USER')).toEqual(['61100']);
    expect(args(list, 'ENV')).toEqual([
      `HOME=/home/${user} GOPATH=/home/${user}/go PATH=/home/${user}/.local/bin:/home/${user}/go/bin:` +
        '/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    ]);
    expect(args(list, 'WORKDIR')).toEqual(['/workspace']);
    expect(args(list, 'ENTRYPOINT').map((e) => JSON.parse(e))).toEqual([['/usr/bin/tini', '-g', '--', cli]]);
    // The user and its image config come last, after everything installed as root.
    expect(list.slice(-4).map((i) => i.keyword)).toEqual(['USER', 'ENV', 'WORKDIR', 'ENTRYPOINT']);
  });
});

describe('all agent Dockerfiles', () => {
  const dirs = ['base', ...Object.keys(IMAGES)];

  it('pin each agent CLI by a version build arg; only codex adds OS packages', () => {
    const versions: Record<string, string> = {
      'claude-code': 'CLAUDE_CODE_VERSION=2.1.237',
      codex: 'CODEX_VERSION=0.148.0',
      gemini: 'GEMINI_CLI_VERSION=0.55.1',
      opencode: 'OPENCODE_VERSION=1.18.18',
      cursor: 'CURSOR_CLI_VERSION=2026.08.11-e8db854',
    };
    for (const dir of AGENTS) {
      const list = instructions(dir);
      expect(args(list, 'ARG'), dir).toContain(versions[dir]);
      const apt = args(list, 'RUN').filter((r) => r.includes('apt-get install'));
      expect(apt, dir).toEqual(
        dir === 'codex'
          ? [
              'apt-get update && apt-get install -y --no-install-recommends bubblewrap && rm -rf /var/lib/apt/lists/*',
            ]
          : [],
      );
    }
  });

  it('copy only files that exist in the repository (the build context)', () => {
    for (const dir of dirs) {
      for (const copy of args(instructions(dir), 'COPY')) {
        if (copy.startsWith('--from=')) continue;
        const sources = copy.split(/\s+/).slice(0, -1);
        for (const source of sources)
          expect(existsSync(join(REPO_ROOT, source)), `${dir}: ${source}`).toBe(true);
      }
    }
  });

  it('declare in each stage the build args its instructions use (ARGs do not carry across FROM)', () => {
    for (const dir of dirs) {
      for (const stage of stages(instructions(dir))) {
        const declared = new Set(
          stage
            .filter((i) => i.keyword === 'ARG' || i.keyword === 'ENV')
            .flatMap((i) => i.args.split(/\s+/).map((pair) => pair.split('=')[0])),
        );
        for (const { keyword, args: text } of stage.slice(1)) {
          // Upper-case names only: lower-case ones (`${arch}`) are shell variables of the RUN itself.
          for (const [, name] of text.matchAll(/\$\{([A-Z][A-Z0-9_]*)\}/g)) {
            expect(declared.has(name ?? ''), `${dir}: ${keyword} uses ${name}`).toBe(true);
          }
        }
      }
    }
  });
});
