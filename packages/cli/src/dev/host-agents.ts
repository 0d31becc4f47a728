import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_TYPES, type AgentType } from '@kelos/shared/constants';

/**
 * The image root of each bundled agent for `kelos dev up --host-agents`: the agent image's own
 * entrypoint (agents/<type>/kelos_entrypoint.sh) and the scripts it sources from /kelos, with the
 * dev-cluster stand-ins the fake agent uses for kelos-capture and tini (agents/fake/README.md). The
 * agent CLI itself (claude, codex, gemini, opencode, cursor's agent) is whatever is installed on the
 * host: the sandbox sees the host's tree.
 */
export function writeHostAgentRoots(checkout: string, imagesDir: string): Record<AgentType, string> {
  const fake = join(checkout, 'agents/fake/rootfs');
  const roots = {} as Record<AgentType, string>;
  for (const type of AGENT_TYPES) {
    const root = join(imagesDir, type);
    rmSync(root, { recursive: true, force: true });
    cpSync(join(checkout, 'agents', type, 'kelos_entrypoint.sh'), join(root, 'kelos_entrypoint.sh'));
    for (const script of ['setup-command.sh', 'install-skills.sh']) {
      cpSync(join(checkout, 'agents', script), join(root, 'kelos', script));
    }
    cpSync(join(fake, 'kelos/kelos-capture'), join(root, 'kelos/kelos-capture'));
    cpSync(join(fake, 'usr/bin/tini'), join(root, 'usr/bin/tini'));
    // Mount points inside /kelos, which the node binds read-only as a whole (agents/fake/README.md).
    for (const dir of ['plugin', 'github-token']) mkdirSync(join(root, 'kelos', dir), { recursive: true });
    roots[type] = root;
  }
  return roots;
}
