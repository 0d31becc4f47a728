import type { LogEvent } from './events.js';
import { firstNum, type JsonObject, obj, str } from './json.js';
import { parseLineWith } from './line.js';
import { toolSummary } from './summary.js';

/**
 * One line of `gemini --output-format stream-json` (spec §10.3). Gemini streams assistant text
 * as `delta` messages and sends no whole message afterwards.
 */
export function parseGeminiLine(line: string): LogEvent[] {
  return parseLineWith(line, handleGemini);
}

function handleGemini(event: JsonObject, type: string): LogEvent[] | undefined {
  switch (type) {
    case 'init': {
      const model = str(event.model);
      return [{ type: 'session', ...(model && { model }) }];
    }
    case 'message': {
      const content = str(event.content);
      if (event.role !== 'assistant' || !content) return [];
      if (event.delta === true) return [{ type: 'text', text: content, delta: true }];
      return [{ type: 'turn' }, { type: 'text', text: content, delta: false }];
    }
    case 'tool_use': {
      const summary = toolSummary(event.parameters);
      return [
        { type: 'tool_call', tag: 'tool', name: str(event.tool_name) ?? 'tool', ...(summary && { summary }) },
      ];
    }
    case 'tool_result': {
      const ok = event.status !== 'error';
      const output = str(event.output) ?? str(obj(event.error)?.message) ?? '';
      return [{ type: 'tool_result', ok, output }];
    }
    case 'error':
      return [
        {
          type: 'error',
          message: str(event.message) ?? 'error',
          level: event.severity === 'warning' ? 'warning' : 'error',
        },
      ];
    case 'result':
      return [resultOf(event)];
    default:
      return undefined;
  }
}

function resultOf(event: JsonObject): LogEvent {
  const stats = obj(event.stats);
  // Released versions write snake_case stats; the reference parser read camelCase ones.
  const inputTokens = firstNum(stats, 'input_tokens', 'totalInputTokens', 'inputTokens');
  const outputTokens = firstNum(stats, 'output_tokens', 'totalOutputTokens', 'outputTokens');
  const cachedTokens = firstNum(stats, 'cached', 'cachedTokens');
  const durationMs = firstNum(stats, 'duration_ms', 'durationMs');
  const error = str(obj(event.error)?.message);
  return {
    type: 'result',
    status: event.status === 'error' ? 'error' : 'completed',
    ...(error && { text: error }),
    usage: {
      ...(inputTokens !== undefined && { inputTokens }),
      ...(cachedTokens !== undefined && { cachedTokens }),
      ...(outputTokens !== undefined && { outputTokens }),
      ...(durationMs !== undefined && { durationMs }),
    },
  };
}
