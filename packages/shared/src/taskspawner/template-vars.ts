import type { WorkItem } from './work-item.js';

/**
 * The variables of a spawner's templates (api-controller §10.5), named as the Go implementation names them
 * so templates written for it render the same. `Number` stays a number, which the template engine treats as
 * a Go int. `Context` is present only when the TaskSpawner has context sources, as `{{.Context.<name>}}`.
 */
export function workItemTemplateVars(
  item: WorkItem,
  context?: Readonly<Record<string, string>>,
): Record<string, unknown> {
  return {
    ID: item.id,
    Number: item.number,
    Title: item.title,
    Body: item.body,
    URL: item.url,
    Labels: item.labels.join(', '),
    Comments: item.comments,
    Kind: item.kind || 'Issue',
    Branch: item.branch ?? '',
    ReviewState: item.reviewState ?? '',
    ReviewComments: item.reviewComments ?? '',
    Time: item.time ?? '',
    Schedule: item.schedule ?? '',
    ...(context && { Context: { ...context } }),
  };
}
