import type { GitHubClient } from './client.js';
import type { CommentPolicySettings, Permission } from './comment-commands.js';
import { sameLogin } from './github-types.js';

const PERMISSION_RANK: Record<Permission, number> = { read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

const rank = (permission: string | undefined): number =>
  PERMISSION_RANK[(permission ?? '').trim().toLowerCase() as Permission] ?? 0;

/** Whether a repository role reaches `minimum`. `role_name` names triage/maintain, which `permission` folds into read/write. */
export function permissionAtLeast(
  granted: { role_name?: string; permission?: string },
  minimum: Permission,
): boolean {
  const actual = rank(granted.role_name) || rank(granted.permission);
  return actual >= PERMISSION_RANK[minimum];
}

/**
 * Decides whose comment commands count: anyone when the policy restricts nobody; otherwise listed
 * users, active members of a listed team, or collaborators with at least `minimumPermission`.
 * Decisions are kept for the lifetime of the authorizer (one discovery), and the lookups are
 * conditional requests, so a repeated cycle costs no quota.
 */
export class CommentAuthorizer {
  private readonly decisions = new Map<string, Promise<boolean>>();
  private readonly teams: { org: string; slug: string }[];

  constructor(
    private readonly client: GitHubClient,
    private readonly owner: string,
    private readonly repo: string,
    private readonly policy: CommentPolicySettings,
  ) {
    this.teams = policy.allowedTeams.map((team) => {
      const [org, slug] = team.split('/').map((part) => part.trim());
      if (!org || !slug) throw new Error(`invalid allowedTeams entry "${team}": expected org/team-slug`);
      return { org, slug };
    });
  }

  get restricted(): boolean {
    return this.policy.allowedUsers.length > 0 || this.teams.length > 0 || !!this.policy.minimumPermission;
  }

  /** The logins among `logins` whose commands count. */
  async authorizedAmong(logins: string[], signal?: AbortSignal): Promise<Set<string>> {
    const authorized = new Set<string>();
    for (const login of logins)
      if (await this.isAuthorized(login, signal)) authorized.add(login.toLowerCase());
    return authorized;
  }

  isAuthorized(login: string, signal?: AbortSignal): Promise<boolean> {
    if (!this.restricted) return Promise.resolve(true);
    const key = login.trim().toLowerCase();
    if (!key) return Promise.resolve(false);
    if (this.policy.allowedUsers.some((user) => sameLogin(user, key))) return Promise.resolve(true);
    let decision = this.decisions.get(key);
    if (!decision) {
      decision = this.lookUp(key, signal);
      this.decisions.set(key, decision);
      decision.catch(() => this.decisions.delete(key));
    }
    return decision;
  }

  private async lookUp(login: string, signal?: AbortSignal): Promise<boolean> {
    const minimum = this.policy.minimumPermission;
    if (minimum) {
      const granted = await this.client
        .find<{ permission?: string; role_name?: string }>(
          'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
          { owner: this.owner, repo: this.repo, username: login },
          { signal },
        )
        .catch((error: Error) => {
          throw new Error(`checking the repository permission of ${login}: ${error.message}`);
        });
      if (granted && permissionAtLeast(granted, minimum)) return true;
    }
    for (const { org, slug } of this.teams) {
      const membership = await this.client
        .find<{ state?: string }>(
          'GET /orgs/{org}/teams/{team_slug}/memberships/{username}',
          { org, team_slug: slug, username: login },
          { signal },
        )
        .catch((error: Error) => {
          throw new Error(
            `checking the membership of ${login} in team ${org}/${slug}: ${error.message} (the token needs read access to the organization's members)`,
          );
        });
      if (membership?.state?.trim().toLowerCase() === 'active') return true;
    }
    return false;
  }
}
