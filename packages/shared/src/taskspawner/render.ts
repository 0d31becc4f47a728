import { parseTemplate, type Template } from '../template/index.js';

/** A spawner template that does not parse or does not render for a work item; the item gets no Task. */
export class SpawnerTemplateError extends Error {
  override readonly name = 'SpawnerTemplateError';
}

/**
 * Renders one field of a TaskTemplate as the Go implementation does: `text/template` with
 * `missingkey=error`, so a misspelt variable fails the item instead of printing `<no value>`. `name` is the
 * template name errors report (`prompt`, `branch`, `label[key]`, `annotation[key]`).
 * @throws {SpawnerTemplateError} `failed to parse template: …` or `failed to execute template: …`.
 */
export function renderSpawnerTemplate(name: string, source: string, vars: Record<string, unknown>): string {
  let template: Template;
  try {
    template = parseTemplate(source, name);
  } catch (err) {
    throw new SpawnerTemplateError(`failed to parse template: ${messageOf(err)}`);
  }
  try {
    return template.execute(vars, { missingKey: 'error' });
  } catch (err) {
    throw new SpawnerTemplateError(`failed to execute template: ${messageOf(err)}`);
  }
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
