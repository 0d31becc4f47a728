import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { AgentConfigSpec } from '@kelos/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPluginConfigMap } from '../src/job/index.js';
import { build, initOf, makeTask } from './fixtures/job/objects.js';
import { createSandbox, runContainer, type Sandbox } from './fixtures/job/sandbox.js';

/** plugin-setup and skills-install executed for real. */

let sb: Sandbox;
beforeEach(async () => {
  sb = await createSandbox();
});
afterEach(async () => {
  await sb.cleanup();
});

/** Lays the ConfigMap out the way the kubelet's atomic writer does: items behind `..data` symlinks. */
function projectConfigMap(config: AgentConfigSpec): void {
  const task = makeTask();
  const data = buildPluginConfigMap(task, config.plugins ?? []).data;
  const job = build({ task, agentConfig: config });
  const volume = job.spec.template.spec.volumes?.find((v) => v.name === 'kelos-plugin-src');
  const stamp = '..2026_11_25_10_00_00.000000001';
  for (const item of volume?.configMap?.items ?? []) {
    const file = join(sb.pluginSrc, stamp, item.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, data[item.key] ?? '');
  }
  symlinkSync(stamp, join(sb.pluginSrc, '..data'));
  for (const top of readdirSync(join(sb.pluginSrc, stamp)))
    symlinkSync(join('..data', top), join(sb.pluginSrc, top));
}

describe('plugin-setup (executed)', () => {
  it('copies the projected plugin tree, dereferencing symlinks and skipping kubelet internals', async () => {
    const config: AgentConfigSpec = {
      plugins: [
        {
          name: 'review',
          skills: [{ name: 'checklist', content: '# Checklist\n' }],
          agents: [{ name: 'critic', content: 'Be critical.' }],
        },
        { name: 'ops', skills: [{ name: 'deploy', content: "it's $(dangerous)" }] },
      ],
    };
    projectConfigMap(config);
    const result = await runContainer(sb, initOf(build({ agentConfig: config }), 'plugin-setup'));
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(sb.pluginDir).sort()).toEqual(['ops', 'review']);
    expect(readFileSync(join(sb.pluginDir, 'review/skills/checklist/SKILL.md'), 'utf8')).toBe(
      '# Checklist\n',
    );
    expect(readFileSync(join(sb.pluginDir, 'review/agents/critic.md'), 'utf8')).toBe('Be critical.');
    expect(readFileSync(join(sb.pluginDir, 'ops/skills/deploy/SKILL.md'), 'utf8')).toBe("it's $(dangerous)");
    expect(statSync(join(sb.pluginDir, 'review')).isDirectory()).toBe(true);
  });
});

describe('skills-install (executed with stand-ins for apk and npx)', () => {
  function fakeTools(installs: boolean): string {
    const bin = join(sb.shared, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'apk'), '#!/bin/sh\nexit 0\n');
    const npx = [
      '#!/bin/sh',
      `echo "$*" >> ${join(sb.shared, 'npx.log')}`,
      'mkdir -p "$HOME/.npm/_cacache"',
      installs
        ? 'name=$(basename "$4"); while [ $# -gt 0 ]; do [ "$1" = -s ] && name=$2; shift; done; ' +
          'mkdir -p "$HOME/.agents/skills/$name" && echo "# $name" > "$HOME/.agents/skills/$name/SKILL.md"'
        : 'true',
    ].join('\n');
    writeFileSync(join(bin, 'npx'), npx);
    chmodSync(join(bin, 'apk'), 0o755);
    chmodSync(join(bin, 'npx'), 0o755);
    return bin;
  }

  const config: AgentConfigSpec = {
    skills: [{ source: 'vercel-labs/agent-skills' }, { source: "acme/it's-skills", skill: 'release' }],
  };

  it('installs each package and moves it into the skills-sh plugin, owned by the agent user', async () => {
    const bin = fakeTools(true);
    const result = await runContainer(sb, initOf(build({ agentConfig: config }), 'skills-install'), {}, bin);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(sb.shared, 'npx.log'), 'utf8')).toBe(
      "-y skills add vercel-labs/agent-skills -a universal -y -g\n-y skills add acme/it's-skills -a universal -y -g -s release\n",
    );
    expect(readdirSync(join(sb.pluginDir, 'skills-sh/skills')).sort()).toEqual(['agent-skills', 'release']);
    expect(existsSync(join(sb.pluginDir, '.agents'))).toBe(false);
    expect(existsSync(join(sb.pluginDir, '.npm'))).toBe(false);
    expect(statSync(join(sb.pluginDir, 'skills-sh/skills/release/SKILL.md')).uid).toBe(61100);
  });

  it('fails when nothing was installed', async () => {
    const bin = fakeTools(false);
    const result = await runContainer(sb, initOf(build({ agentConfig: config }), 'skills-install'), {}, bin);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No skills.sh skills were installed');
  });
});
