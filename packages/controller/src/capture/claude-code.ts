import { at, isObject, type JsonObject, numberAt, stringAt } from './json.js';
import { definedFields, type Usage, type UsageExtractor } from './usage.js';

interface ClaudeResult {
  costUsd: string | undefined;
  inputTokens: string | undefined;
  outputTokens: string | undefined;
  text: string | undefined;
  subtype: string | undefined;
  isError: boolean;
  stopReason: string | undefined;
  terminalReason: string | undefined;
}

/**
 * Claude Code `--output-format stream-json`: the last `{"type":"result"}` line carries the totals
 * (`total_cost_usd`, `usage.input_tokens`/`output_tokens`) and the final text (`result`). When the
 * result has no text, the last assistant message's text blocks stand in for it.
 */
export class ClaudeCodeExtractor implements UsageExtractor {
  readonly neededTypes: ReadonlySet<string> = new Set(['result']);
  private last: ClaudeResult | undefined;
  private lastAssistantText: string | undefined;

  add(event: JsonObject): void {
    if (event.type === 'result') {
      this.last = {
        costUsd: numberAt(event, 'total_cost_usd'),
        inputTokens: numberAt(event, 'usage', 'input_tokens'),
        outputTokens: numberAt(event, 'usage', 'output_tokens'),
        text: stringAt(event, 'result'),
        subtype: stringAt(event, 'subtype'),
        isError: event.is_error === true,
        stopReason: stringAt(event, 'stop_reason'),
        terminalReason: stringAt(event, 'terminal_reason'),
      };
    } else if (event.type === 'assistant') {
      const text = assistantText(event);
      if (text) this.lastAssistantText = text;
    }
  }

  finish(): Usage {
    const last = this.last;
    return definedFields({
      costUsd: last?.costUsd,
      inputTokens: last?.inputTokens,
      outputTokens: last?.outputTokens,
      response: last?.text || this.lastAssistantText,
      failure: last && completionFailure(last),
    });
  }
}

/** The text blocks of `{"type":"assistant","message":{"content":[{"type":"text","text":…}]}}`. */
function assistantText(event: JsonObject): string {
  const content = at(event, 'message', 'content');
  if (!Array.isArray(content)) return '';
  return content
    .filter(isObject)
    .filter((block) => block.type === 'text')
    .map((block) => stringAt(block, 'text') ?? '')
    .join('');
}

/**
 * Why a result is not a normal completion, or undefined when it is. An error subtype or
 * `is_error` is a failure; a stop or terminal reason other than a finished turn means the agent
 * loop stopped early (e.g. `stop_reason: tool_use`). Absent reasons are accepted because older
 * Claude Code versions do not report them.
 */
function completionFailure(r: ClaudeResult): string | undefined {
  if (r.isError || r.subtype !== 'success') {
    const details = [r.subtype && `subtype=${r.subtype}`, r.isError && 'is_error=true'].filter(Boolean);
    return `Claude Code returned an unsuccessful result${details.length ? ` (${details.join(', ')})` : ''}`;
  }
  const details = [
    r.terminalReason && r.terminalReason !== 'completed' && `terminal_reason=${r.terminalReason}`,
    r.stopReason && r.stopReason !== 'end_turn' && `stop_reason=${r.stopReason}`,
  ].filter(Boolean);
  return details.length ? `Claude Code run incomplete (${details.join(', ')})` : undefined;
}
