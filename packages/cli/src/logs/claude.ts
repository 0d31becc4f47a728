import type { LogEvent, ResultEvent } from './events.js';
import { arr, firstNum, type JsonObject, num, obj, str } from './json.js';
import { parseLineWith } from './line.js';
import { toolSummary } from './summary.js';

/**
 * One line of `claude --output-format stream-json --verbose` (spec §10.1), also used for cursor,
 * whose `agent --output-format stream-json` shares the envelope (`system`/`assistant`/`user`/
 * `result`) and adds `tool_call` and `thinking` lines.
 */
export function parseClaudeLine(line: string): LogEvent[] {
  return parseLineWith(line, handleClaude);
}

function handleClaude(event: JsonObject, type: string): LogEvent[] | undefined {
  switch (type) {
    case 'system':
      return event.subtype === 'init' ? [sessionOf(event)] : [];
    case 'assistant':
      return assistantEvents(obj(event.message));
    case 'user':
      return toolResults(obj(event.message));
    case 'result':
      return [resultOf(event)];
    case 'stream_event':
      return streamEvents(obj(event.event));
    case 'tool_call':
      return cursorToolCall(event);
    case 'thinking': {
      // cursor streams its reasoning as `{"type":"thinking","subtype":"delta","text":…}`.
      const text = str(event.text);
      return text ? [{ type: 'thinking', text, delta: true }] : [];
    }
    default:
      return undefined;
  }
}

function sessionOf(event: JsonObject): LogEvent {
  const model = str(event.model);
  const tools = arr(event.tools)?.filter((tool): tool is string => typeof tool === 'string');
  return { type: 'session', ...(model && { model }), ...(tools && { tools }) };
}

function assistantEvents(message: JsonObject | undefined): LogEvent[] {
  const id = str(message?.id);
  const events: LogEvent[] = [id ? { type: 'turn', id } : { type: 'turn' }];
  for (const block of arr(message?.content) ?? []) {
    const part = obj(block);
    switch (part?.type) {
      case 'text': {
        const text = str(part.text);
        if (text) events.push({ type: 'text', text, delta: false });
        break;
      }
      case 'thinking': {
        const text = str(part.thinking);
        if (text) events.push({ type: 'thinking', text, delta: false });
        break;
      }
      case 'tool_use':
        events.push(toolCall(str(part.name) ?? 'tool', part.input));
        break;
    }
  }
  return events;
}

function toolCall(name: string, input: unknown): LogEvent {
  const summary = toolSummary(input);
  return { type: 'tool_call', tag: 'tool', name, ...(summary && { summary }) };
}

function toolResults(message: JsonObject | undefined): LogEvent[] {
  const events: LogEvent[] = [];
  for (const block of arr(message?.content) ?? []) {
    const part = obj(block);
    if (part?.type !== 'tool_result') continue;
    events.push({ type: 'tool_result', ok: part.is_error !== true, output: contentText(part.content) });
  }
  return events;
}

/** A tool result's content: a string, or blocks of which only the text ones can be shown. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  const texts: string[] = [];
  for (const block of arr(content) ?? []) {
    const text = str(obj(block)?.text);
    if (text) texts.push(text);
  }
  return texts.join('\n');
}

/**
 * Spec §10.1 (HEAD): error when `is_error` or a subtype other than `success`; else incomplete
 * when `terminal_reason` is set and not `completed` or `stop_reason` is set and not `end_turn`.
 */
function resultOf(event: JsonObject): ResultEvent {
  const subtype = str(event.subtype);
  const isError = event.is_error === true || (subtype !== undefined && subtype !== 'success');
  const reasons: string[] = [];
  if (!isError) {
    const terminal = str(event.terminal_reason);
    const stop = str(event.stop_reason);
    if (terminal && terminal !== 'completed') reasons.push(`terminal_reason=${terminal}`);
    if (stop && stop !== 'end_turn') reasons.push(`stop_reason=${stop}`);
  }
  const usage = obj(event.usage);
  // Claude writes snake_case usage; cursor writes camelCase.
  const inputTokens = firstNum(usage, 'input_tokens', 'inputTokens');
  const cachedTokens = firstNum(usage, 'cache_read_input_tokens', 'cacheReadTokens');
  const outputTokens = firstNum(usage, 'output_tokens', 'outputTokens');
  const durationMs = num(event.duration_ms);
  const turns = num(event.num_turns);
  const costUsd = num(event.total_cost_usd);
  const text = str(event.result) || errorsText(event.errors);
  return {
    type: 'result',
    status: isError ? 'error' : reasons.length > 0 ? 'incomplete' : 'completed',
    ...(reasons.length > 0 && { reasons: reasons.join(', ') }),
    ...(text && { text }),
    ...(turns !== undefined && { turns }),
    ...(costUsd !== undefined && { costUsd }),
    usage: {
      ...(inputTokens !== undefined && { inputTokens }),
      ...(cachedTokens !== undefined && { cachedTokens }),
      ...(outputTokens !== undefined && { outputTokens }),
      ...(durationMs !== undefined && { durationMs }),
    },
  };
}

/** `error_during_execution` and similar results carry their messages in `errors`. */
function errorsText(errors: unknown): string | undefined {
  const messages = arr(errors)?.filter((e): e is string => typeof e === 'string');
  return messages && messages.length > 0 ? messages.join('\n') : undefined;
}

/**
 * `--include-partial-messages` wraps the API's stream events. Text and thinking deltas are shown
 * as they come (the full `assistant` line that follows is then not printed again), and
 * `message_start` opens the turn so its separator comes before the streamed text.
 */
function streamEvents(inner: JsonObject | undefined): LogEvent[] {
  switch (inner?.type) {
    case 'message_start': {
      const id = str(obj(inner.message)?.id);
      return [id ? { type: 'turn', id } : { type: 'turn' }];
    }
    case 'content_block_delta': {
      const delta = obj(inner.delta);
      if (delta?.type === 'text_delta') {
        const text = str(delta.text);
        return text ? [{ type: 'text', text, delta: true }] : [];
      }
      if (delta?.type === 'thinking_delta') {
        const text = str(delta.thinking);
        return text ? [{ type: 'thinking', text, delta: true }] : [];
      }
      return [];
    }
    default:
      return [];
  }
}

/**
 * cursor's `tool_call` lines: `{"subtype":"started"|"completed","tool_call":{"<kind>ToolCall":
 * {"args":{…},"result":{"success":{…}}|{"error":{…}}}}}`, e.g. `shellToolCall`, `readToolCall`.
 */
function cursorToolCall(event: JsonObject): LogEvent[] {
  const wrapper = obj(event.tool_call);
  const kind = wrapper ? Object.keys(wrapper)[0] : undefined;
  const call = kind !== undefined ? obj(wrapper?.[kind]) : undefined;
  if (kind === undefined || !call) return [];
  if (event.subtype === 'started') {
    // `function` calls (MCP tools) name themselves; the others are named by their kind.
    const name = str(call.name) ?? toolKindName(kind);
    return [toolCall(name, obj(call.args) ?? parseArguments(call.arguments))];
  }
  if (event.subtype !== 'completed') return [];
  const result = obj(call.result);
  const success = obj(result?.success);
  if (success) {
    const exitCode = num(success.exitCode);
    const output = [success.stdout, success.stderr, success.content]
      .map((part) => str(part)?.trimEnd())
      .filter(Boolean)
      .join('\n');
    return [
      {
        type: 'tool_result',
        ok: exitCode === undefined || exitCode === 0,
        output,
        ...(exitCode !== undefined && { exitCode }),
      },
    ];
  }
  const error = obj(result?.error) ?? obj(result?.failure) ?? obj(result?.rejected);
  return [{ type: 'tool_result', ok: false, output: str(error?.message) ?? str(error?.error) ?? '' }];
}

/** `shellToolCall` → `Shell`. */
function toolKindName(kind: string): string {
  const base = kind.endsWith('ToolCall') ? kind.slice(0, -'ToolCall'.length) : kind;
  return base.charAt(0).toUpperCase() + base.slice(1);
}

function parseArguments(value: unknown): unknown {
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
