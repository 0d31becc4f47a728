import { type JsonObject, numberAt, stringAt } from './json.js';
import { definedFields, type Usage, type UsageExtractor } from './usage.js';

/**
 * Gemini CLI `--output-format stream-json`: the last `{"type":"result"}` line carries
 * `stats.inputTokens`/`outputTokens` (Gemini CLI releases that write `input_tokens`/
 * `output_tokens` are read too). The response is the last assistant message: a message with
 * `delta: false` (or no `delta`) is complete on its own; `delta: true` chunks are joined until a
 * non-assistant event ends the message.
 */
export class GeminiExtractor implements UsageExtractor {
  readonly neededTypes: ReadonlySet<string> = new Set(['result', 'message']);
  private inputTokens: string | undefined;
  private outputTokens: string | undefined;
  private response: string | undefined;
  /** Delta chunks of the assistant message being streamed, if any. */
  private streaming: string[] = [];

  add(event: JsonObject): void {
    if (event.type === 'message' && event.role === 'assistant') {
      const content = stringAt(event, 'content') ?? '';
      if (event.delta === true) {
        this.streaming.push(content);
        return;
      }
      this.streaming = [];
      if (content) this.response = content;
      return;
    }
    this.endStreamedMessage();
    if (event.type === 'result') {
      this.inputTokens = numberAt(event, 'stats', 'inputTokens') ?? numberAt(event, 'stats', 'input_tokens');
      this.outputTokens =
        numberAt(event, 'stats', 'outputTokens') ?? numberAt(event, 'stats', 'output_tokens');
    }
  }

  finish(): Usage {
    this.endStreamedMessage();
    return definedFields({
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      response: this.response,
    });
  }

  private endStreamedMessage(): void {
    const text = this.streaming.join('');
    this.streaming = [];
    if (text) this.response = text;
  }
}
