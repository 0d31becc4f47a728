import { type JsonObject, numberAt, stringAt } from './json.js';
import { definedFields, TokenSum, type Usage, type UsageExtractor } from './usage.js';

/**
 * OpenCode `opencode run --format json`: every `step_finish` event carries that step's
 * `part.tokens.input`/`output`, so the totals are sums; the response is the last `text` event.
 * OpenCode puts the text in `part.text`; a top-level `text` field is read too, as the spec
 * describes the event that way.
 */
export class OpencodeExtractor implements UsageExtractor {
  readonly neededTypes: ReadonlySet<string> = new Set(['step_finish', 'text']);
  private readonly input = new TokenSum();
  private readonly output = new TokenSum();
  private response: string | undefined;

  add(event: JsonObject): void {
    if (event.type === 'step_finish') {
      this.input.add(numberAt(event, 'part', 'tokens', 'input'));
      this.output.add(numberAt(event, 'part', 'tokens', 'output'));
    } else if (event.type === 'text') {
      const text = stringAt(event, 'text') ?? stringAt(event, 'part', 'text');
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
