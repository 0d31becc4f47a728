import { type Static, Type } from '@sinclair/typebox';
import {
  AgentConfigReferenceSchema,
  AgentTypeSchema,
  ConditionSchema,
  CredentialsSchema,
  PodOverridesSchema,
  WorkspaceReferenceSchema,
} from './common.js';
import { DateTime, Int32, StringEnum, StringMap } from './helpers.js';
import type { KubeObject } from './object-meta.js';
import { AGENT_CONFIG_REFS_EXCLUSIVE_RULE } from './task.js';

const strings = (description: string) => Type.Optional(Type.Array(Type.String(), { description }));

export const GitHubCommentPolicySchema = Type.Object(
  {
    triggerComment: Type.Optional(
      Type.String({
        description: 'A comment line that must be present (as a whole trimmed line) to pick the item.',
      }),
    ),
    excludeComments: strings(
      'Comment lines that exclude the item; the most recent of trigger and exclude wins.',
    ),
    allowedUsers: strings('GitHub logins whose comments count.'),
    allowedTeams: Type.Optional(
      Type.Array(Type.String({ pattern: '^[^/]+/[^/]+$' }), {
        description: 'Teams (`org/team-slug`) whose members’ comments count.',
      }),
    ),
    minimumPermission: Type.Optional(
      StringEnum(['read', 'triage', 'write', 'maintain', 'admin'] as const, {
        description: 'Minimum repository permission of a commenter whose comments count.',
      }),
    ),
  },
  { description: 'Which comments trigger or exclude an item, and whose comments count.' },
);
export type GitHubCommentPolicy = Static<typeof GitHubCommentPolicySchema>;

export const GitHubReportingSchema = Type.Object(
  {
    enabled: Type.Optional(
      Type.Boolean({
        description: 'Post one status comment per Task on its issue or pull request, kept up to date.',
      }),
    ),
    checks: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(
            Type.String({
              maxLength: 100,
              description: 'Check run name; default `Kelos: <taskspawner-name>`.',
            }),
          ),
        },
        { description: 'Report as GitHub Check Runs on pull requests.' },
      ),
    ),
  },
  { description: 'How Task progress is reported back to GitHub.' },
);
export type GitHubReporting = Static<typeof GitHubReportingSchema>;

const STATES = ['open', 'closed', 'all'] as const;

const legacyCommentRule = {
  rule: '!(has(self.commentPolicy) && (has(self.triggerComment) || has(self.excludeComments)))',
  message: 'triggerComment and excludeComments cannot be combined with commentPolicy',
};

const githubCommon = {
  repo: Type.Optional(
    Type.String({
      description: '`owner/repo` or URL to watch instead of the workspace repository (fork workflow).',
    }),
  ),
  labels: strings('Labels an item must all have.'),
  excludeLabels: strings('Labels that exclude an item.'),
  state: Type.Optional(StringEnum(STATES, { default: 'open', description: 'Item state to watch.' })),
  commentPolicy: Type.Optional(GitHubCommentPolicySchema),
  triggerComment: Type.Optional(
    Type.String({ description: 'Deprecated: use commentPolicy.triggerComment.' }),
  ),
  excludeComments: strings('Deprecated: use commentPolicy.excludeComments.'),
  author: Type.Optional(Type.String({ description: 'Only items opened by this login.' })),
  excludeAuthors: strings('Ignore items opened by these logins.'),
  priorityLabels: strings(
    'Labels in priority order (first is highest); new items are created in that order.',
  ),
  reporting: Type.Optional(GitHubReportingSchema),
  pollInterval: Type.Optional(
    Type.String({
      description: 'How often to poll (Go duration such as `2m`, or seconds); overrides spec.pollInterval.',
    }),
  ),
};

export const GitHubIssuesSchema = Type.Object(
  {
    ...githubCommon,
    types: Type.Optional(
      Type.Array(StringEnum(['issues', 'pulls'] as const), {
        default: ['issues'],
        description: 'Item types to pick from the issues endpoint.',
      }),
    ),
    assignee: Type.Optional(
      Type.String({ description: 'Only items assigned to this login; `*` any, `none` unassigned.' }),
    ),
  },
  {
    description: 'Create a Task per matching GitHub issue.',
    'x-kubernetes-validations': [
      legacyCommentRule,
      {
        rule: '!has(self.reporting) || !has(self.reporting.checks)',
        message: 'checks reporting is not supported for issues',
      },
    ],
  },
);
export type GitHubIssues = Static<typeof GitHubIssuesSchema>;

export const GitHubPullRequestsSchema = Type.Object(
  {
    ...githubCommon,
    reviewState: Type.Optional(
      StringEnum(['approved', 'changes_requested', 'any'] as const, {
        default: 'any',
        description: 'Aggregated review state on the current head commit.',
      }),
    ),
    draft: Type.Optional(
      Type.Boolean({ description: 'Only drafts (true) or only ready PRs (false); unset takes both.' }),
    ),
    filePatterns: Type.Optional(
      Type.Object(
        {
          include: strings('Globs; at least one changed file must match.'),
          exclude: strings('Globs of changed files to ignore first.'),
        },
        { description: 'Filter pull requests by changed files.' },
      ),
    ),
  },
  {
    description: 'Create a Task per matching GitHub pull request.',
    'x-kubernetes-validations': [legacyCommentRule],
  },
);
export type GitHubPullRequests = Static<typeof GitHubPullRequestsSchema>;

export const CronSchema = Type.Object(
  { schedule: Type.String({ description: 'Five-field cron schedule, e.g. `0 9 * * 1-5`.' }) },
  { description: 'Create a Task at every tick of a schedule.' },
);
export type Cron = Static<typeof CronSchema>;

export const WhenSchema = Type.Object(
  {
    githubIssues: Type.Optional(GitHubIssuesSchema),
    githubPullRequests: Type.Optional(GitHubPullRequestsSchema),
    cron: Type.Optional(CronSchema),
  },
  { description: 'The source of work items; set one.' },
);
export type When = Static<typeof WhenSchema>;

export const ContextSourceSchema = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[a-zA-Z][a-zA-Z0-9_]*$',
      description: 'Name; the value is `{{.Context.<name>}}` in templates.',
    }),
    http: Type.Optional(
      Type.Object(
        {
          url: Type.String({ description: 'URL (a template); HTTPS unless allowInsecure.' }),
          method: Type.Optional(
            StringEnum(['GET', 'POST'] as const, { default: 'GET', description: 'HTTP method.' }),
          ),
          headers: Type.Optional(StringMap({ description: 'Request headers.' })),
          headersFrom: Type.Optional(
            Type.Array(
              Type.Object(
                {
                  header: Type.String({ description: 'Header name.' }),
                  secretName: Type.String({ description: 'Secret holding the value.' }),
                  secretKey: Type.String({ description: 'Key in the Secret.' }),
                },
                { description: 'A header whose value comes from a Secret.' },
              ),
              { maxItems: 16, description: 'Headers from Secrets.' },
            ),
          ),
          body: Type.Optional(Type.String({ description: 'Request body (a template).' })),
          responseFilter: Type.Optional(
            Type.Object(
              {
                type: StringEnum(['JSONPath'] as const, { description: 'Filter language.' }),
                expression: Type.String({ description: 'Filter expression.' }),
              },
              { description: 'Keep only part of the response.' },
            ),
          ),
          allowInsecure: Type.Optional(Type.Boolean({ description: 'Allow plain HTTP.' })),
          timeoutSeconds: Type.Optional(
            Int32({ minimum: 1, maximum: 60, default: 10, description: 'Request timeout.' }),
          ),
          maxResponseBytes: Type.Optional(
            Int32({ minimum: 1, maximum: 131072, default: 32768, description: 'Largest response accepted.' }),
          ),
        },
        { description: 'Fetch the value over HTTP.' },
      ),
    ),
    failurePolicy: Type.Optional(
      StringEnum(['Fail', 'Ignore'] as const, {
        default: 'Fail',
        description: '`Fail` skips the item when the fetch fails; `Ignore` renders an empty value.',
      }),
    ),
  },
  {
    description: 'Extra data fetched per work item for the templates.',
    'x-kubernetes-validations': [{ rule: 'has(self.http)', message: 'http is required' }],
  },
);
export type ContextSource = Static<typeof ContextSourceSchema>;

export const TaskTemplateSchema = Type.Object(
  {
    type: AgentTypeSchema,
    credentials: CredentialsSchema,
    model: Type.Optional(Type.String({ description: 'Model, copied to each Task.' })),
    effort: Type.Optional(Type.String({ description: 'Effort, copied to each Task.' })),
    image: Type.Optional(Type.String({ description: 'Custom agent image, copied to each Task.' })),
    workspaceRef: Type.Optional(
      Type.Object(WorkspaceReferenceSchema.properties, {
        description: 'Workspace of the Tasks; required for GitHub sources.',
      }),
    ),
    agentConfigRef: Type.Optional(
      Type.Object(AgentConfigReferenceSchema.properties, { description: 'AgentConfig copied to each Task.' }),
    ),
    agentConfigRefs: Type.Optional(
      Type.Array(AgentConfigReferenceSchema, {
        minItems: 1,
        description: 'AgentConfigs copied to each Task.',
      }),
    ),
    dependsOn: strings('Copied verbatim to each Task.'),
    branch: Type.Optional(
      Type.String({ description: 'Branch per item, a Go template such as `kelos-task-{{.Number}}`.' }),
    ),
    promptTemplate: Type.Optional(
      Type.String({ description: 'Prompt per item, a Go template; default `{{.Title}}`.' }),
    ),
    ttlSecondsAfterFinished: Type.Optional(Int32({ minimum: 0, description: 'TTL of each Task.' })),
    podOverrides: Type.Optional(PodOverridesSchema),
    metadata: Type.Optional(
      Type.Object(
        {
          labels: Type.Optional(StringMap({ description: 'Labels; values are Go templates.' })),
          annotations: Type.Optional(StringMap({ description: 'Annotations; values are Go templates.' })),
        },
        { description: 'Labels and annotations of each Task (`kelos.dev/taskspawner` is always set).' },
      ),
    ),
    contextSources: Type.Optional(
      Type.Array(ContextSourceSchema, {
        maxItems: 8,
        description: 'Extra data fetched per item.',
        'x-kubernetes-validations': [
          {
            rule: 'self.all(c, self.exists_one(o, o.name == c.name))',
            message: 'context source names must be unique',
          },
        ],
      }),
    ),
    upstreamRepo: Type.Optional(
      Type.String({ description: '`owner/repo`; derived from the source repo override when empty.' }),
    ),
  },
  {
    description: 'The Task created for each work item.',
    'x-kubernetes-validations': [AGENT_CONFIG_REFS_EXCLUSIVE_RULE],
  },
);
export type TaskTemplate = Static<typeof TaskTemplateSchema>;

export const TaskSpawnerSpecSchema = Type.Object(
  {
    when: WhenSchema,
    taskTemplate: TaskTemplateSchema,
    pollInterval: Type.Optional(
      Type.String({
        default: '5m',
        description: 'Deprecated poll interval, used when the source sets none.',
      }),
    ),
    maxConcurrency: Type.Optional(
      Int32({ minimum: 0, description: 'Most non-terminal Tasks at a time; 0 or unset means no limit.' }),
    ),
    suspend: Type.Optional(
      Type.Boolean({ default: false, description: 'Stop creating Tasks; running Tasks continue.' }),
    ),
    maxTotalTasks: Type.Optional(
      Int32({ minimum: 0, description: 'Most Tasks ever created; 0 or unset means no limit.' }),
    ),
  },
  {
    description: 'Where work items come from and the Task to create for each.',
    'x-kubernetes-validations': [
      {
        rule: '!(has(self.when.githubIssues) || has(self.when.githubPullRequests)) || has(self.taskTemplate.workspaceRef)',
        message: 'taskTemplate.workspaceRef is required for githubIssues and githubPullRequests sources',
      },
    ],
  },
);
export type TaskSpawnerSpec = Static<typeof TaskSpawnerSpecSchema>;

export const TASK_SPAWNER_PHASES = ['Pending', 'Running', 'Failed', 'Suspended'] as const;
export type TaskSpawnerPhase = (typeof TASK_SPAWNER_PHASES)[number];

export const TaskSpawnerStatusSchema = Type.Object(
  {
    phase: Type.Optional(StringEnum(TASK_SPAWNER_PHASES, { description: 'State of the spawner.' })),
    deploymentName: Type.Optional(
      Type.String({ description: 'Deployment running the spawner (polling sources).' }),
    ),
    cronJobName: Type.Optional(Type.String({ description: 'CronJob running the spawner (cron source).' })),
    totalDiscovered: Type.Optional(Type.Integer({ description: 'Items seen in the last cycle.' })),
    totalTasksCreated: Type.Optional(Type.Integer({ description: 'Tasks created so far.' })),
    activeTasks: Type.Optional(Type.Integer({ description: 'Non-terminal Tasks of this spawner.' })),
    lastDiscoveryTime: Type.Optional(
      DateTime({ description: 'End of the last successful cycle (cron watermark).' }),
    ),
    message: Type.Optional(Type.String({ description: 'Summary of the last cycle.' })),
    conditions: Type.Optional(
      Type.Array(ConditionSchema, {
        description: 'Suspended, MaxTotalTasksReached, TaskBudgetExhausted, DiscoveryError.',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['type'],
      }),
    ),
  },
  { description: 'What the controller and the spawner observed.' },
);
export type TaskSpawnerStatus = Static<typeof TaskSpawnerStatusSchema>;

export type TaskSpawner = KubeObject<'TaskSpawner', TaskSpawnerSpec, TaskSpawnerStatus>;
