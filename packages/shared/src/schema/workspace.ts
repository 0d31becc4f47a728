import { type Static, Type } from '@sinclair/typebox';
import { SecretReferenceSchema } from './common.js';
import type { KubeObject } from './object-meta.js';

export const GIT_URL_PATTERN = '^(https?://|git://|git@).*';

export const GitRemoteSchema = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      description: 'Remote name; `origin` is reserved for the clone source.',
    }),
    url: Type.String({ pattern: GIT_URL_PATTERN, description: 'Remote URL.' }),
  },
  { description: 'An extra git remote added after cloning.' },
);
export type GitRemote = Static<typeof GitRemoteSchema>;

export const WorkspaceFileSchema = Type.Object(
  {
    path: Type.String({
      minLength: 1,
      description: 'Path relative to the repository root; absolute paths and `..` are rejected.',
    }),
    content: Type.String({ description: 'File content.' }),
  },
  { description: 'A file written into the repository before the agent starts.' },
);
export type WorkspaceFile = Static<typeof WorkspaceFileSchema>;

export const WorkspaceSpecSchema = Type.Object(
  {
    repo: Type.String({ pattern: GIT_URL_PATTERN, description: 'Git URL to clone (https, git or ssh).' }),
    ref: Type.Optional(
      Type.String({
        description: 'Branch, tag or 40-character commit to check out; empty uses the remote default branch.',
      }),
    ),
    secretRef: Type.Optional(
      Type.Object(SecretReferenceSchema.properties, {
        description:
          'Secret with a `GITHUB_TOKEN` key (personal access token), or with `appID`, `installationID` and ' +
          '`privateKey` (GitHub App).',
      }),
    ),
    remotes: Type.Optional(
      Type.Array(GitRemoteSchema, {
        description: 'Extra git remotes, e.g. `upstream` in a fork workflow.',
        'x-kubernetes-validations': [
          {
            rule: "self.all(r, r.name != 'origin')",
            message: "remote name 'origin' is reserved for the clone source",
          },
          // The reference writes `self.map(r, r.name).size() == self.size()`, which can never fail
          // (map keeps duplicates); exists_one enforces what its message promises.
          {
            rule: 'self.all(r, self.exists_one(o, o.name == r.name))',
            message: 'remote names must be unique',
          },
        ],
      }),
    ),
    files: Type.Optional(
      Type.Array(WorkspaceFileSchema, {
        description: 'Files written into the repository before the agent runs.',
      }),
    ),
    setupCommand: Type.Optional(
      Type.Array(Type.String(), {
        minItems: 1,
        description:
          'Command (exec form) run in `/workspace/repo` before the agent; a non-zero exit fails the Task.',
      }),
    ),
  },
  { description: 'A git repository that agents work in.' },
);
export type WorkspaceSpec = Static<typeof WorkspaceSpecSchema>;

export type Workspace = KubeObject<'Workspace', WorkspaceSpec>;
