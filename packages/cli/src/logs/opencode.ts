import type { LogEvent, Usage } from './events.js';
import { firstNum, type JsonObject, num, obj, str } from './json.js';
import { parseLineWith } from './line.js';
import { toolSummary } from './summary.js';

/**
 * One line of `opencode run --format json` (spec §10.4). Every event carries a `part`; tools are
 * reported once finished, with their input, state and output together. A `step_finish` ends each
 * model call: steps that stop to run tools only report usage, the last one is the result.
 */
export function parseOpenCodeLine(line: string): LogEvent[] {
  return parseLineWith(line, handleOpenCode);
}

function handleOpenCode(event: JsonObject, type: string): LogEvent[] | undefined {
  const part = obj(event.part);
  switch (type) {
    case 'step_start':
      return [];
    case 'text': {
      const text = str(event.text) ?? str(part?.text);
      return text ? [{ type: 'text', text, delta: false }] : [];
    }
    case 'reasoning': {
      const text = str(part?.text);
      return text ? [{ type: 'thinking', text, delta: false }] : [];
    }
    case 'tool_use':
      return toolUse(part);
    case 'step_finish':
      return [stepFinish(part)];
    case 'error':
      return [{ type: 'error', message: errorMessage(event.error), level: 'error' }];
    default:
      return undefined;
  }
}

function toolUse(part: JsonObject | undefined): LogEvent[] {
  const state = obj(part?.state);
  const summary = toolSummary(state?.input);
  const events: LogEvent[] = [
    { type: 'tool_call', tag: 'tool', name: str(part?.tool) ?? 'tool', ...(summary && { summary }) },
  ];
  if (state?.status === 'completed') {
    events.push({ type: 'tool_result', ok: true, output: str(state.output) ?? '' });
  } else if (state?.status === 'error') {
    events.push({ type: 'tool_result', ok: false, output: str(state.error) ?? '' });
  }
  return events;
}

function stepFinish(part: JsonObject | undefined): LogEvent {
  const tokens = obj(part?.tokens);
  const inputTokens = firstNum(tokens, 'input');
  const outputTokens = firstNum(tokens, 'output');
  const cachedTokens = firstNum(obj(tokens?.cache), 'read');
  const usage: Usage = {
    ...(inputTokens !== undefined && { inputTokens }),
    ...(cachedTokens !== undefined && { cachedTokens }),
    ...(outputTokens !== undefined && { outputTokens }),
  };
  const reason = str(part?.reason);
  if (reason === 'tool-calls') return { type: 'usage', usage };
  // OpenCode reports 0 for models without a price (subscriptions), which says nothing.
  const cost = num(part?.cost);
  const status =
    reason === 'error' ? 'error' : reason === undefined || reason === 'stop' ? 'completed' : 'incomplete';
  return {
    type: 'result',
    status,
    ...(status === 'incomplete' && { reasons: `reason=${reason}` }),
    ...(cost !== undefined && cost > 0 && { costUsd: cost }),
    usage,
  };
}

/** `{"name":"ProviderAuthError","data":{"message":…}}` and plainer shapes. */
function errorMessage(error: unknown): string {
  if (typeof error === 'string') return error;
  const value = obj(error);
  return str(obj(value?.data)?.message) ?? str(value?.message) ?? str(value?.name) ?? 'error';
}
