import { at, type JsonObject, numberAt, stringAt } from './json.js';
import { definedFields, TokenSum, type Usage, type UsageExtractor } from './usage.js';

/**
 * Codex `codex exec --json`: each `turn.completed` event reports that turn's
 * `usage.input_tokens`/`output_tokens`, so the totals are sums; the response is the text of the
 * last completed `agent_message` item.
 */
export class CodexExtractor implements UsageExtractor {
  readonly neededTypes: ReadonlySet<string> = new Set(['turn.completed', 'item.completed']);
  private readonly input = new TokenSum();
  private readonly output = new TokenSum();
  private response: string | undefined;

  add(event: JsonObject): void {
    if (event.type === 'turn.completed') {
      this.input.add(numberAt(event, 'usage', 'input_tokens'));
      this.output.add(numberAt(event, 'usage', 'output_tokens'));
    } else if (event.type === 'item.completed' && at(event, 'item', 'type') === 'agent_message') {
      const text = stringAt(event, 'item', 'text');
      if (text) this.response = text;
    }
  }

  finish(): Usage {
    return definedFields({
      inputTokens: this.input.value(),
      outputTokens: this.output.value(),
      response: this.response,
    });
  }
}
