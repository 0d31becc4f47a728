import type { LogEvent, Usage } from './events.js';
import { arr, firstNum, type JsonObject, num, obj, str } from './json.js';
import { parseLineWith } from './line.js';
import { summarize, toolSummary } from './summary.js';

/**
 * One line of `codex exec --json` (spec §10.2): thread/turn events and items that are started,
 * updated and completed. Commands and MCP calls are shown when they start and their output when
 * they complete; prose, reasoning and file changes arrive complete.
 */
export function parseCodexLine(line: string): LogEvent[] {
  return parseLineWith(line, handleCodex);
}

function handleCodex(event: JsonObject, type: string): LogEvent[] | undefined {
  switch (type) {
    case 'thread.started':
      return [];
    case 'turn.started':
      return [{ type: 'turn' }];
    case 'turn.completed':
      return [{ type: 'usage', usage: usageOf(obj(event.usage)) }];
    case 'turn.failed':
      return [errorOf(str(obj(event.error)?.message) ?? 'turn failed')];
    case 'error':
      return [errorOf(str(event.message) ?? JSON.stringify(event))];
    case 'item.started':
      return itemStarted(obj(event.item));
    case 'item.updated':
      return [];
    case 'item.completed':
      return itemCompleted(obj(event.item));
    default:
      return undefined;
  }
}

function usageOf(usage: JsonObject | undefined): Usage {
  const inputTokens = firstNum(usage, 'input_tokens');
  const cachedTokens = firstNum(usage, 'cached_input_tokens');
  const outputTokens = firstNum(usage, 'output_tokens');
  return {
    ...(inputTokens !== undefined && { inputTokens }),
    ...(cachedTokens !== undefined && { cachedTokens }),
    ...(outputTokens !== undefined && { outputTokens }),
  };
}

function errorOf(message: string): LogEvent {
  return { type: 'error', message, level: 'error' };
}

function itemStarted(item: JsonObject | undefined): LogEvent[] {
  const type = str(item?.type);
  if (!item || !type) return [];
  switch (type) {
    case 'command_execution': {
      const command = str(item.command);
      const summary = command ? summarize(unwrapShell(command)) : undefined;
      return [{ type: 'tool_call', tag: 'command', ...(summary && { summary }) }];
    }
    case 'mcp_tool_call': {
      const server = str(item.server);
      const tool = str(item.tool) ?? 'tool';
      const summary = toolSummary(item.arguments);
      return [
        {
          type: 'tool_call',
          tag: type,
          name: server ? `${server}.${tool}` : tool,
          ...(summary && { summary }),
        },
      ];
    }
    case 'web_search': {
      const query = str(item.query);
      return [{ type: 'tool_call', tag: type, ...(query && { summary: summarize(query) }) }];
    }
    case 'todo_list': {
      const count = arr(item.items)?.length;
      return [{ type: 'tool_call', tag: type, ...(count !== undefined && { summary: `${count} items` }) }];
    }
    // Prose, reasoning and file changes are shown once complete.
    case 'agent_message':
    case 'reasoning':
    case 'file_change':
      return [];
    default:
      return [{ type: 'tool_call', tag: type }];
  }
}

function itemCompleted(item: JsonObject | undefined): LogEvent[] {
  const type = str(item?.type);
  if (!item || !type) return [];
  switch (type) {
    case 'agent_message': {
      const text = str(item.text);
      return text ? [{ type: 'text', text, delta: false }] : [];
    }
    case 'reasoning': {
      const text = str(item.text);
      return text ? [{ type: 'thinking', text, delta: false }] : [];
    }
    case 'command_execution': {
      const exitCode = num(item.exit_code);
      const ok = item.status !== 'failed' && item.status !== 'declined' && (exitCode ?? 0) === 0;
      return [
        {
          type: 'tool_result',
          ok,
          output: str(item.aggregated_output) ?? '',
          ...(exitCode !== undefined && { exitCode }),
        },
      ];
    }
    case 'mcp_tool_call': {
      const error = str(obj(item.error)?.message);
      if (error !== undefined || item.status === 'failed') {
        return [{ type: 'tool_result', ok: false, output: error ?? '' }];
      }
      return [{ type: 'tool_result', ok: true, output: mcpResultText(obj(item.result)) }];
    }
    case 'file_change':
      return fileChange(item);
    case 'error':
      return [errorOf(str(item.message) ?? 'error')];
    default:
      return [];
  }
}

/**
 * Codex runs commands as `bash -lc '<command>'`; the wrapper says nothing, the command does.
 */
function unwrapShell(command: string): string {
  const match = /^(?:\/(?:usr\/)?bin\/)?(?:ba|z)?sh -lc (['"])([\s\S]*)\1$/.exec(command);
  if (!match?.[2]) return command;
  // A quote inside single quotes is written '\'' or '"'"', depending on the quoting library.
  return match[1] === "'" ? match[2].replaceAll("'\\''", "'").replaceAll(`'"'"'`, "'") : match[2];
}

function mcpResultText(result: JsonObject | undefined): string {
  const texts: string[] = [];
  for (const block of arr(result?.content) ?? []) {
    const text = str(obj(block)?.text);
    if (text) texts.push(text);
  }
  return texts.join('\n');
}

/** A file change item: one `[file_change] update parse.go, add util.go` line, and failures. */
function fileChange(item: JsonObject): LogEvent[] {
  const changes: string[] = [];
  for (const change of arr(item.changes) ?? []) {
    const path = str(obj(change)?.path);
    if (path) changes.push(`${str(obj(change)?.kind) ?? 'update'} ${path}`);
  }
  const events: LogEvent[] = [
    {
      type: 'tool_call',
      tag: 'file_change',
      ...(changes.length > 0 && { summary: summarize(changes.join(', ')) }),
    },
  ];
  if (item.status === 'failed') events.push({ type: 'tool_result', ok: false, output: 'patch failed' });
  return events;
}
