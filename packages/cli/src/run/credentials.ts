import { AGENT_TYPE_INFO, type AgentType, isAgentType } from '@kelos/shared';
import type { KelosConfig } from '../config/config.js';
import { CliError } from '../errors.js';
import { resolveContent } from '../util/content.js';

/** The Secret `run` creates from the config's `oauthToken` or `apiKey` (cli spec §2.1). */
export const CREDENTIALS_SECRET = 'kelos-credentials';

export interface CredentialChoice {
  type: string;
  /** The Secret the Task references; none for credential type `none`. */
  secret?: string;
  /** What to store in `secret` first, when the credential comes from the config file. */
  secretData?: Record<string, string>;
}

export interface CredentialFlags {
  secret?: string;
  /** Only when given on the command line. */
  credentialType?: string;
}

/** The Secret key an agent reads a credential from (cli spec §2.2); unknown types use Claude Code's. */
export function credentialKey(agentType: string, credentialType: 'oauth' | 'api-key'): string {
  const info = AGENT_TYPE_INFO[isAgentType(agentType) ? agentType : ('claude-code' satisfies AgentType)];
  return credentialType === 'oauth' ? info.oauthEnv : info.apiKeyEnv;
}

/**
 * Which credentials a Task gets (cli spec §5.2 steps 1, 3, 4): `--secret` > config `secret` > the
 * config's `oauthToken`/`apiKey`. Unlike the reference, an explicit `--credential-type` is never
 * silently replaced by the config token's type (cli spec §17 note 5): `none` skips the token, and a
 * conflicting type is an error.
 */
export function chooseCredentials(
  flags: CredentialFlags,
  config: KelosConfig,
  agentType: string,
): CredentialChoice {
  const secret = flags.secret ?? config.secret;
  const type = flags.credentialType ?? config.credentialType ?? 'api-key';
  if (!secret && (config.oauthToken !== undefined || config.apiKey !== undefined)) {
    if (config.oauthToken !== undefined && config.apiKey !== undefined) {
      throw new CliError('config file must specify only one of oauthToken or apiKey');
    }
    const tokenType = config.oauthToken !== undefined ? 'oauth' : 'api-key';
    const key = tokenType === 'oauth' ? 'oauthToken' : 'apiKey';
    if (flags.credentialType === 'none') return { type: 'none' };
    if (flags.credentialType !== undefined && flags.credentialType !== tokenType) {
      throw new CliError(
        `--credential-type ${flags.credentialType} conflicts with ${key} in the config file`,
        'Drop --credential-type, or pass --secret with a Secret of that type.',
      );
    }
    const raw = (config.oauthToken ?? config.apiKey) as string;
    // `none` stores an empty value, for agents whose provider needs no key (cli spec §2.1).
    const value = raw === 'none' ? '' : resolveContent(raw, key);
    return {
      type: tokenType,
      secret: CREDENTIALS_SECRET,
      secretData: { [credentialKey(agentType, tokenType)]: value },
    };
  }
  if (!secret && type !== 'none') {
    throw new CliError(
      'no credentials configured (set oauthToken/apiKey in config file, or use --secret flag)',
      'Run `kelos init` to write a config file, or pass --credential-type none and --env for your provider.',
    );
  }
  return secret ? { type, secret } : { type };
}
