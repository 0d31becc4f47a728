/** Labels Kelos puts on the objects it creates (Jobs, Pods, Deployments, CronJobs). */
export const LABELS = {
  name: 'kelos.dev/name',
  component: 'kelos.dev/component',
  managedBy: 'kelos.dev/managed-by',
  task: 'kelos.dev/task',
  taskSpawner: 'kelos.dev/taskspawner',
  workspace: 'kelos.dev/workspace',
} as const;

export const LABEL_VALUES = {
  name: 'kelos',
  managedBy: 'kelos-controller',
  componentTask: 'task',
  componentSpawner: 'spawner',
} as const;

export const ANNOTATIONS = {
  githubAppSecret: 'kelos.dev/github-app-secret',
  tokenExpiresAt: 'kelos.dev/token-expires-at',
  sourceKind: 'kelos.dev/source-kind',
  sourceNumber: 'kelos.dev/source-number',
  sourceSha: 'kelos.dev/source-sha',
  githubReporting: 'kelos.dev/github-reporting',
  githubCommentMode: 'kelos.dev/github-comment-mode',
  githubChecks: 'kelos.dev/github-checks',
  githubCheckName: 'kelos.dev/github-check-name',
  githubCommentId: 'kelos.dev/github-comment-id',
  githubReportPhase: 'kelos.dev/github-report-phase',
  githubCheckRunId: 'kelos.dev/github-check-run-id',
  githubCheckReportPhase: 'kelos.dev/github-check-report-phase',
  createdFromTaskSpawner: 'kelos.dev/created-from-taskspawner',
  triggerType: 'kelos.dev/trigger-type',
  triggerTime: 'kelos.dev/trigger-time',
} as const;

export const FINALIZERS = {
  task: 'kelos.dev/finalizer',
  taskSpawner: 'kelos.dev/taskspawner-finalizer',
} as const;
