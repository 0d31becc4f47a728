import type { Workspace, WorkspaceSpec } from '@kelos/shared';
import type { WorkspaceConfig } from '../config/config.js';
import { CliError } from '../errors.js';
import type { Kube } from '../kube/client.js';
import { isNotFound } from '../kube/errors.js';
import type { KelosClient } from '../kube/kelos.js';
import { ensureSecret } from '../kube/secrets.js';
import { confirm } from '../prompt/confirm.js';
import { readTextFile, resolveContent } from '../util/content.js';
import { expandHome } from '../util/paths.js';

/** The Workspace and Secret `run` manages for an inline repository (cli spec §2.1). */
export const INLINE_WORKSPACE = 'kelos-workspace';
export const INLINE_WORKSPACE_SECRET = 'kelos-workspace-credentials';

/** An inline repository: the config's `workspace.repo`, or `run --workspace-repo`. */
export interface InlineWorkspace {
  repo: string;
  ref?: string;
  token?: string;
  githubApp?: WorkspaceConfig['githubApp'];
}

export function inlineWorkspaceSpec(inline: InlineWorkspace): WorkspaceSpec {
  if (inline.token && inline.githubApp) {
    throw new CliError('workspace config must specify either token or githubApp, not both');
  }
  return {
    repo: inline.repo,
    ...(inline.ref ? { ref: inline.ref } : {}),
    ...(inline.token || inline.githubApp ? { secretRef: { name: INLINE_WORKSPACE_SECRET } } : {}),
  };
}

/** The Secret data for the repository credentials: a token, or a GitHub App (cli spec §2.1). */
function secretData(inline: InlineWorkspace): Record<string, string> | undefined {
  if (inline.token) return { GITHUB_TOKEN: resolveContent(inline.token, 'workspace.token') };
  const app = inline.githubApp;
  if (!app) return undefined;
  if (!app.appID || !app.installationID || !app.privateKeyPath) {
    throw new CliError('workspace.githubApp needs appID, installationID and privateKeyPath');
  }
  return {
    appID: app.appID,
    installationID: app.installationID,
    privateKey: readTextFile(expandHome(app.privateKeyPath), 'workspace.githubApp.privateKeyPath'),
  };
}

function sameSpec(a: WorkspaceSpec, b: WorkspaceSpec): boolean {
  return a.repo === b.repo && (a.ref ?? '') === (b.ref ?? '') && a.secretRef?.name === b.secretRef?.name;
}

/**
 * Creates or updates Workspace `kelos-workspace` and its Secret (cli spec §5.2 step 5): an identical
 * Workspace is left alone, a different one is replaced only after the user agrees (or with `yes`).
 */
export async function ensureInlineWorkspace(
  kube: () => Promise<Kube>,
  kelos: KelosClient,
  namespace: string,
  inline: InlineWorkspace,
  options: { yes: boolean },
): Promise<void> {
  const spec = inlineWorkspaceSpec(inline);
  const data = secretData(inline);
  if (data) await ensureSecret(await kube(), namespace, INLINE_WORKSPACE_SECRET, data, options);
  let existing: Workspace;
  try {
    existing = await kelos.get('Workspace', namespace, INLINE_WORKSPACE);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await kelos.create('Workspace', {
      apiVersion: 'kelos.dev/v1alpha1',
      kind: 'Workspace',
      metadata: { name: INLINE_WORKSPACE, namespace },
      spec,
    });
    return;
  }
  if (sameSpec(existing.spec, spec)) return;
  if (!options.yes && !(await confirm(`Resource workspace/${INLINE_WORKSPACE} already exists. Override?`))) {
    throw new CliError(
      'aborted',
      `Workspace ${namespace}/${INLINE_WORKSPACE} was left as it was; pass -y to override it.`,
    );
  }
  await kelos.replace('Workspace', { ...existing, spec });
}
