import { type JsonObject, numberAt, stringAt } from './json.js';
import { definedFields, type Usage, type UsageExtractor } from './usage.js';

/**
 * Cursor `agent --output-format stream-json`: Claude-like events, but the last
 * `{"type":"result"}` line spells its usage in camelCase (`usage.inputTokens`/`outputTokens`)
 * and reports no cost.
 */
export class CursorExtractor implements UsageExtractor {
  readonly neededTypes: ReadonlySet<string> = new Set(['result']);
  private last: Usage = {};

  add(event: JsonObject): void {
    if (event.type !== 'result') return;
    this.last = definedFields({
      inputTokens: numberAt(event, 'usage', 'inputTokens'),
      outputTokens: numberAt(event, 'usage', 'outputTokens'),
      response: stringAt(event, 'result') || undefined,
    });
  }

  finish(): Usage {
    return this.last;
  }
}
