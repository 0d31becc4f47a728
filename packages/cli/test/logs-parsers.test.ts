import {
  OUTPUTS_END_MARKER,
  OUTPUTS_START_MARKER,
  SETUP_COMMAND_DONE_MARKER,
  SETUP_COMMAND_FAILED_MARKER,
  SETUP_COMMAND_START_MARKER,
} from '@kelos/shared';
import { describe, expect, it } from 'vitest';
import { parseClaudeLine } from '../src/logs/claude.js';
import { parseCodexLine } from '../src/logs/codex.js';
import type { LineParser, LogEvent } from '../src/logs/events.js';
import { parseGeminiLine } from '../src/logs/gemini.js';
import { parseOpenCodeLine } from '../src/logs/opencode.js';
import { parserFor } from '../src/logs/parser-for.js';
import { summarize, toolSummary } from '../src/logs/summary.js';

/** Per-format event tables: one log line in, the events it means out. */

const j = (value: unknown) => JSON.stringify(value);
type Row = [name: string, line: string, events: LogEvent[]];

const parsers: [string, LineParser][] = [
  ['claude', parseClaudeLine],
  ['codex', parseCodexLine],
  ['gemini', parseGeminiLine],
  ['opencode', parseOpenCodeLine],
];

describe.each(parsers)('%s: lines every format shares', (_name, parse) => {
  it.each<Row>([
    ['empty line', '', []],
    ['blank line', '  \t\r', []],
    [
      'plain text',
      'npm WARN deprecated glob@7.2.3',
      [{ type: 'raw', line: 'npm WARN deprecated glob@7.2.3' }],
    ],
    [
      'malformed JSON',
      '{"type":"assistant","message":',
      [{ type: 'raw', line: '{"type":"assistant","message":' }],
    ],
    ['JSON that is not an object', '[1,2,3]', [{ type: 'raw', line: '[1,2,3]' }]],
    ['a JSON object without type', '{"hello":"world"}', [{ type: 'raw', line: '{"hello":"world"}' }]],
    [
      'a type no format defines',
      '{"type":"telemetry.flush"}',
      [{ type: 'raw', line: '{"type":"telemetry.flush"}' }],
    ],
    ['a non-string type', '{"type":42}', [{ type: 'raw', line: '{"type":42}' }]],
    ['outputs start', OUTPUTS_START_MARKER, [{ type: 'outputs_start' }]],
    ['outputs end with trailing space', `${OUTPUTS_END_MARKER}  `, [{ type: 'outputs_end' }]],
    ['an output line is raw', 'branch: kelos/fix', [{ type: 'raw', line: 'branch: kelos/fix' }]],
    ['setup start', SETUP_COMMAND_START_MARKER, [{ type: 'setup', phase: 'start' }]],
    ['setup done', SETUP_COMMAND_DONE_MARKER, [{ type: 'setup', phase: 'done' }]],
    [
      'setup failed with exit code',
      `${SETUP_COMMAND_FAILED_MARKER} exit=127`,
      [{ type: 'setup', phase: 'failed', exitCode: 127 }],
    ],
    ['setup failed without code', SETUP_COMMAND_FAILED_MARKER, [{ type: 'setup', phase: 'failed' }]],
    [
      'an unknown Kelos marker is raw',
      '---KELOS_TASK_START--- t1',
      [{ type: 'raw', line: '---KELOS_TASK_START--- t1' }],
    ],
    [
      'a marker-like line with junk is raw',
      '---KELOS_OUTPUTS_START---x',
      [{ type: 'raw', line: '---KELOS_OUTPUTS_START---x' }],
    ],
    ['a markdown rule is raw', '---', [{ type: 'raw', line: '---' }]],
  ])('%s', (_case, line, events) => {
    expect(parse(line)).toEqual(events);
  });

  it('never throws, whatever the bytes', () => {
    for (const line of [
      '{',
      '}',
      '{"type":null}',
      '{"type":"result","usage":null}',
      '\u0000\uffff',
      '{"a":1}x',
    ]) {
      expect(() => parse(line)).not.toThrow();
    }
  });

  it('handles known types with missing or mistyped fields without throwing', () => {
    const types = [
      'system',
      'assistant',
      'user',
      'result',
      'stream_event',
      'tool_call',
      'thinking',
      'turn.started',
      'turn.completed',
      'turn.failed',
      'error',
      'item.started',
      'item.completed',
      'init',
      'message',
      'tool_use',
      'tool_result',
      'text',
      'reasoning',
      'step_finish',
    ];
    for (const type of types) {
      for (const junk of [{}, { message: 5, item: 'x', part: [], usage: 'x', content: {}, stats: 7 }]) {
        expect(() => parse(j({ type, ...junk }))).not.toThrow();
      }
    }
  });
});

const msg = (content: unknown[], id = 'msg_01') =>
  j({ type: 'assistant', message: { id, role: 'assistant', content } });

describe('parseClaudeLine', () => {
  it.each<Row>([
    [
      'system init',
      j({
        type: 'system',
        subtype: 'init',
        model: 'claude-sonnet-4-5',
        tools: ['Bash', 'Read', 3],
        cwd: '/w',
      }),
      [{ type: 'session', model: 'claude-sonnet-4-5', tools: ['Bash', 'Read'] }],
    ],
    ['other system subtypes say nothing', j({ type: 'system', subtype: 'compact_boundary' }), []],
    [
      'assistant text',
      msg([{ type: 'text', text: 'Looking at the test.' }]),
      [
        { type: 'turn', id: 'msg_01' },
        { type: 'text', text: 'Looking at the test.', delta: false },
      ],
    ],
    [
      'assistant thinking',
      msg([{ type: 'thinking', thinking: 'Hmm.', signature: 'x' }]),
      [
        { type: 'turn', id: 'msg_01' },
        { type: 'thinking', text: 'Hmm.', delta: false },
      ],
    ],
    [
      'assistant without id',
      j({ type: 'assistant', message: { content: [{ type: 'text', text: 'Hi' }] } }),
      [{ type: 'turn' }, { type: 'text', text: 'Hi', delta: false }],
    ],
    [
      'several blocks, empty text and redacted thinking skipped',
      msg([
        { type: 'text', text: '' },
        { type: 'redacted_thinking', data: 'xx' },
        {
          type: 'tool_use',
          id: 't1',
          name: 'Bash',
          input: { command: 'npm test', description: 'Run tests' },
        },
        { type: 'tool_use', id: 't2', name: 'TodoWrite', input: { todos: [] } },
      ]),
      [
        { type: 'turn', id: 'msg_01' },
        { type: 'tool_call', tag: 'tool', name: 'Bash', summary: 'npm test' },
        { type: 'tool_call', tag: 'tool', name: 'TodoWrite' },
      ],
    ],
    [
      'tool result as a string',
      j({
        type: 'user',
        message: { content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok\n' }] },
      }),
      [{ type: 'tool_result', ok: true, output: 'ok\n' }],
    ],
    [
      'tool result as blocks, error',
      j({
        type: 'user',
        message: {
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't1',
              is_error: true,
              content: [
                { type: 'text', text: 'Exit code 1' },
                { type: 'image', source: {} },
                { type: 'text', text: 'boom' },
              ],
            },
          ],
        },
      }),
      [{ type: 'tool_result', ok: false, output: 'Exit code 1\nboom' }],
    ],
    [
      'user prompt text says nothing',
      j({ type: 'user', message: { content: [{ type: 'text', text: 'Fix it' }] } }),
      [],
    ],
    [
      'result completed',
      j({
        type: 'result',
        subtype: 'success',
        is_error: false,
        duration_ms: 48211,
        num_turns: 7,
        result: 'Done.',
        stop_reason: 'end_turn',
        total_cost_usd: 0.1084395,
        usage: { input_tokens: 1536, cache_read_input_tokens: 38912, output_tokens: 412 },
      }),
      [
        {
          type: 'result',
          status: 'completed',
          text: 'Done.',
          turns: 7,
          costUsd: 0.1084395,
          usage: { inputTokens: 1536, cachedTokens: 38912, outputTokens: 412, durationMs: 48211 },
        },
      ],
    ],
    [
      'result error via is_error',
      j({
        type: 'result',
        subtype: 'success',
        is_error: true,
        num_turns: 1,
        total_cost_usd: 0.001,
        result: 'API Error: 529',
      }),
      [{ type: 'result', status: 'error', text: 'API Error: 529', turns: 1, costUsd: 0.001, usage: {} }],
    ],
    [
      'result error via subtype, messages from errors[]',
      j({ type: 'result', subtype: 'error_during_execution', is_error: false, errors: ['boom', 3, 'bang'] }),
      [{ type: 'result', status: 'error', text: 'boom\nbang', usage: {} }],
    ],
    [
      'result incomplete: stop_reason only',
      j({ type: 'result', subtype: 'success', is_error: false, stop_reason: 'tool_use', num_turns: 9 }),
      [{ type: 'result', status: 'incomplete', reasons: 'stop_reason=tool_use', turns: 9, usage: {} }],
    ],
    [
      'result incomplete: both reasons',
      j({ type: 'result', subtype: 'success', stop_reason: 'max_tokens', terminal_reason: 'max_turns' }),
      [
        {
          type: 'result',
          status: 'incomplete',
          reasons: 'terminal_reason=max_turns, stop_reason=max_tokens',
          usage: {},
        },
      ],
    ],
    [
      'result with terminal_reason completed is complete',
      j({ type: 'result', subtype: 'success', stop_reason: 'end_turn', terminal_reason: 'completed' }),
      [{ type: 'result', status: 'completed', usage: {} }],
    ],
    [
      'partial: message_start opens the turn',
      j({ type: 'stream_event', event: { type: 'message_start', message: { id: 'msg_9' } } }),
      [{ type: 'turn', id: 'msg_9' }],
    ],
    [
      'partial: text delta',
      j({
        type: 'stream_event',
        event: { type: 'content_block_delta', delta: { type: 'text_delta', text: 'Hel' } },
      }),
      [{ type: 'text', text: 'Hel', delta: true }],
    ],
    [
      'partial: thinking delta',
      j({
        type: 'stream_event',
        event: { type: 'content_block_delta', delta: { type: 'thinking_delta', thinking: 'mm' } },
      }),
      [{ type: 'thinking', text: 'mm', delta: true }],
    ],
    [
      'partial: input JSON deltas say nothing',
      j({
        type: 'stream_event',
        event: { type: 'content_block_delta', delta: { type: 'input_json_delta', partial_json: '{"a' } },
      }),
      [],
    ],
    ['partial: message_stop says nothing', j({ type: 'stream_event', event: { type: 'message_stop' } }), []],
    [
      'cursor: shell call started',
      j({
        type: 'tool_call',
        subtype: 'started',
        tool_call: { shellToolCall: { args: { command: 'make test' } } },
      }),
      [{ type: 'tool_call', tag: 'tool', name: 'Shell', summary: 'make test' }],
    ],
    [
      'cursor: shell call completed with a failing exit code',
      j({
        type: 'tool_call',
        subtype: 'completed',
        tool_call: {
          shellToolCall: {
            args: {},
            result: { success: { exitCode: 2, stdout: 'FAIL\n', stderr: 'make: Error 1' } },
          },
        },
      }),
      [{ type: 'tool_result', ok: false, output: 'FAIL\nmake: Error 1', exitCode: 2 }],
    ],
    [
      'cursor: read completed',
      j({
        type: 'tool_call',
        subtype: 'completed',
        tool_call: {
          readToolCall: { args: { path: 'a.go' }, result: { success: { content: 'package a' } } },
        },
      }),
      [{ type: 'tool_result', ok: true, output: 'package a' }],
    ],
    [
      'cursor: edit error',
      j({
        type: 'tool_call',
        subtype: 'completed',
        tool_call: { editToolCall: { args: { path: 'a.go' }, result: { error: { message: 'not found' } } } },
      }),
      [{ type: 'tool_result', ok: false, output: 'not found' }],
    ],
    [
      'cursor: MCP function call names itself, arguments as a JSON string',
      j({
        type: 'tool_call',
        subtype: 'started',
        tool_call: { function: { name: 'github.get_issue', arguments: '{"query":"is:open"}' } },
      }),
      [{ type: 'tool_call', tag: 'tool', name: 'github.get_issue', summary: 'is:open' }],
    ],
    ['cursor: empty tool_call says nothing', j({ type: 'tool_call', subtype: 'started', tool_call: {} }), []],
    [
      'cursor: thinking delta',
      j({ type: 'thinking', subtype: 'delta', text: 'Run the tests.' }),
      [{ type: 'thinking', text: 'Run the tests.', delta: true }],
    ],
    ['cursor: thinking completed says nothing', j({ type: 'thinking', subtype: 'completed' }), []],
    [
      'cursor: camelCase usage in result',
      j({
        type: 'result',
        subtype: 'success',
        usage: { inputTokens: 5, outputTokens: 6, cacheReadTokens: 7 },
      }),
      [{ type: 'result', status: 'completed', usage: { inputTokens: 5, cachedTokens: 7, outputTokens: 6 } }],
    ],
  ])('%s', (_case, line, events) => {
    expect(parseClaudeLine(line)).toEqual(events);
  });

  it('parses a 20 MB tool result line whole', () => {
    const output = 'x'.repeat(20 * 1024 * 1024);
    const line = j({ type: 'user', message: { content: [{ type: 'tool_result', content: output }] } });
    const [event] = parseClaudeLine(line);
    expect(event).toMatchObject({ type: 'tool_result', ok: true });
    expect(event?.type === 'tool_result' && event.output.length).toBe(output.length);
  });
});

const item = (type: string, fields: Record<string, unknown>) => j({ type, item: fields });

describe('parseCodexLine', () => {
  it.each<Row>([
    ['thread.started says nothing', j({ type: 'thread.started', thread_id: 'th' }), []],
    ['turn.started', j({ type: 'turn.started' }), [{ type: 'turn' }]],
    [
      'turn.completed with usage',
      j({ type: 'turn.completed', usage: { input_tokens: 10, cached_input_tokens: 4, output_tokens: 2 } }),
      [{ type: 'usage', usage: { inputTokens: 10, cachedTokens: 4, outputTokens: 2 } }],
    ],
    ['turn.completed without usage', j({ type: 'turn.completed' }), [{ type: 'usage', usage: {} }]],
    [
      'turn.failed',
      j({ type: 'turn.failed', error: { message: 'context window exceeded' } }),
      [{ type: 'error', message: 'context window exceeded', level: 'error' }],
    ],
    [
      'error with message',
      j({ type: 'error', message: 'retrying 1/5' }),
      [{ type: 'error', message: 'retrying 1/5', level: 'error' }],
    ],
    [
      'error without message shows the JSON',
      j({ type: 'error', code: 7 }),
      [{ type: 'error', message: '{"type":"error","code":7}', level: 'error' }],
    ],
    [
      'command started, bash -lc unwrapped',
      item('item.started', {
        id: 'i',
        type: 'command_execution',
        command: "bash -lc 'npm test'",
        status: 'in_progress',
      }),
      [{ type: 'tool_call', tag: 'command', summary: 'npm test' }],
    ],
    [
      "command with '\\'' quoting",
      item('item.started', { type: 'command_execution', command: "/bin/bash -lc 'echo '\\''hi'\\'''" }),
      [{ type: 'tool_call', tag: 'command', summary: "echo 'hi'" }],
    ],
    [
      'command not wrapped',
      item('item.started', { type: 'command_execution', command: 'ls -la' }),
      [{ type: 'tool_call', tag: 'command', summary: 'ls -la' }],
    ],
    [
      'command without command',
      item('item.started', { type: 'command_execution' }),
      [{ type: 'tool_call', tag: 'command' }],
    ],
    [
      'command completed ok',
      item('item.completed', {
        type: 'command_execution',
        aggregated_output: 'ok\n',
        exit_code: 0,
        status: 'completed',
      }),
      [{ type: 'tool_result', ok: true, output: 'ok\n', exitCode: 0 }],
    ],
    [
      'command completed failing',
      item('item.completed', {
        type: 'command_execution',
        aggregated_output: 'FAIL',
        exit_code: 2,
        status: 'failed',
      }),
      [{ type: 'tool_result', ok: false, output: 'FAIL', exitCode: 2 }],
    ],
    [
      'command declined',
      item('item.completed', { type: 'command_execution', status: 'declined' }),
      [{ type: 'tool_result', ok: false, output: '' }],
    ],
    [
      'agent message',
      item('item.completed', { type: 'agent_message', text: 'Fixed it.' }),
      [{ type: 'text', text: 'Fixed it.', delta: false }],
    ],
    ['agent message started says nothing', item('item.started', { type: 'agent_message', text: '' }), []],
    [
      'reasoning',
      item('item.completed', { type: 'reasoning', text: '**Plan**' }),
      [{ type: 'thinking', text: '**Plan**', delta: false }],
    ],
    [
      'file change',
      item('item.completed', {
        type: 'file_change',
        changes: [
          { path: 'a.go', kind: 'update' },
          { path: 'b.go', kind: 'add' },
        ],
        status: 'completed',
      }),
      [{ type: 'tool_call', tag: 'file_change', summary: 'update a.go, add b.go' }],
    ],
    [
      'file change failed',
      item('item.completed', { type: 'file_change', changes: [], status: 'failed' }),
      [
        { type: 'tool_call', tag: 'file_change' },
        { type: 'tool_result', ok: false, output: 'patch failed' },
      ],
    ],
    [
      'MCP call started',
      item('item.started', {
        type: 'mcp_tool_call',
        server: 'github',
        tool: 'search',
        arguments: { query: 'is:pr' },
      }),
      [{ type: 'tool_call', tag: 'mcp_tool_call', name: 'github.search', summary: 'is:pr' }],
    ],
    [
      'MCP call completed',
      item('item.completed', {
        type: 'mcp_tool_call',
        result: {
          content: [
            { type: 'text', text: 'a' },
            { type: 'text', text: 'b' },
          ],
        },
        status: 'completed',
      }),
      [{ type: 'tool_result', ok: true, output: 'a\nb' }],
    ],
    [
      'MCP call failed',
      item('item.completed', { type: 'mcp_tool_call', error: { message: 'timeout' }, status: 'failed' }),
      [{ type: 'tool_result', ok: false, output: 'timeout' }],
    ],
    [
      'web search',
      item('item.started', { type: 'web_search', query: 'vitest golden' }),
      [{ type: 'tool_call', tag: 'web_search', summary: 'vitest golden' }],
    ],
    [
      'web search without query (spec: [web_search])',
      item('item.started', { type: 'web_search' }),
      [{ type: 'tool_call', tag: 'web_search' }],
    ],
    [
      'todo list',
      item('item.started', { type: 'todo_list', items: [{ text: 'a' }, { text: 'b' }] }),
      [{ type: 'tool_call', tag: 'todo_list', summary: '2 items' }],
    ],
    ['item.updated says nothing', item('item.updated', { type: 'todo_list', items: [] }), []],
    [
      'an unknown item type started is shown by type',
      item('item.started', { type: 'image_gen' }),
      [{ type: 'tool_call', tag: 'image_gen' }],
    ],
    ['an unknown item type completed says nothing', item('item.completed', { type: 'image_gen' }), []],
    [
      'error item',
      item('item.completed', { type: 'error', message: 'sandbox denied' }),
      [{ type: 'error', message: 'sandbox denied', level: 'error' }],
    ],
    ['item without a type says nothing', j({ type: 'item.started', item: {} }), []],
  ])('%s', (_case, line, events) => {
    expect(parseCodexLine(line)).toEqual(events);
  });

  it('parses a 20 MB command output line whole', () => {
    const output = 'y\n'.repeat(10 * 1024 * 1024);
    const [event] = parseCodexLine(
      item('item.completed', { type: 'command_execution', aggregated_output: output, exit_code: 0 }),
    );
    expect(event?.type === 'tool_result' && event.output.length).toBe(output.length);
  });
});

const gem = (type: string, fields: Record<string, unknown> = {}) =>
  j({ type, timestamp: '2026-08-20T10:15:02.118Z', ...fields });

describe('parseGeminiLine', () => {
  it.each<Row>([
    [
      'init',
      gem('init', { session_id: 's', model: 'gemini-2.5-pro' }),
      [{ type: 'session', model: 'gemini-2.5-pro' }],
    ],
    ['init without model', gem('init', { session_id: 's' }), [{ type: 'session' }]],
    [
      'assistant delta',
      gem('message', { role: 'assistant', content: 'Let me ', delta: true }),
      [{ type: 'text', text: 'Let me ', delta: true }],
    ],
    [
      'whole assistant message opens a turn',
      gem('message', { role: 'assistant', content: 'Done.' }),
      [{ type: 'turn' }, { type: 'text', text: 'Done.', delta: false }],
    ],
    ['empty assistant message says nothing', gem('message', { role: 'assistant', content: '' }), []],
    ['user message says nothing', gem('message', { role: 'user', content: 'Fix it' }), []],
    [
      'tool use: shell',
      gem('tool_use', { tool_name: 'run_shell_command', tool_id: 't', parameters: { command: 'make test' } }),
      [{ type: 'tool_call', tag: 'tool', name: 'run_shell_command', summary: 'make test' }],
    ],
    [
      'tool use: read_file by absolute_path',
      gem('tool_use', { tool_name: 'read_file', parameters: { absolute_path: '/w/a.go' } }),
      [{ type: 'tool_call', tag: 'tool', name: 'read_file', summary: '/w/a.go' }],
    ],
    [
      'tool use: spec names (ReadFile by path)',
      gem('tool_use', { tool_name: 'ReadFile', parameters: { path: 'a.go' } }),
      [{ type: 'tool_call', tag: 'tool', name: 'ReadFile', summary: 'a.go' }],
    ],
    [
      'tool use without parameters',
      gem('tool_use', { tool_name: 'save_memory' }),
      [{ type: 'tool_call', tag: 'tool', name: 'save_memory' }],
    ],
    [
      'tool result success',
      gem('tool_result', { tool_id: 't', status: 'success', output: 'FAIL' }),
      [{ type: 'tool_result', ok: true, output: 'FAIL' }],
    ],
    [
      'tool result error',
      gem('tool_result', { tool_id: 't', status: 'error', error: { type: 'x', message: 'no such file' } }),
      [{ type: 'tool_result', ok: false, output: 'no such file' }],
    ],
    [
      'error warning',
      gem('error', { severity: 'warning', message: 'Loop detected' }),
      [{ type: 'error', message: 'Loop detected', level: 'warning' }],
    ],
    [
      'error',
      gem('error', { severity: 'error', message: 'quota' }),
      [{ type: 'error', message: 'quota', level: 'error' }],
    ],
    [
      'result with snake_case stats',
      gem('result', {
        status: 'success',
        stats: {
          total_tokens: 30,
          input_tokens: 20,
          output_tokens: 10,
          cached: 5,
          duration_ms: 1200,
          tool_calls: 1,
        },
      }),
      [
        {
          type: 'result',
          status: 'completed',
          usage: { inputTokens: 20, cachedTokens: 5, outputTokens: 10, durationMs: 1200 },
        },
      ],
    ],
    [
      'result with the reference camelCase stats',
      gem('result', { status: 'success', stats: { totalInputTokens: 7, totalOutputTokens: 8 } }),
      [{ type: 'result', status: 'completed', usage: { inputTokens: 7, outputTokens: 8 } }],
    ],
    [
      'result error',
      gem('result', { status: 'error', error: { type: 'FatalTurnLimitedError', message: 'max turns' } }),
      [{ type: 'result', status: 'error', text: 'max turns', usage: {} }],
    ],
  ])('%s', (_case, line, events) => {
    expect(parseGeminiLine(line)).toEqual(events);
  });
});

const oc = (type: string, part: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  j({ type, timestamp: 1755684902118, sessionID: 'ses_1', part, ...extra });

describe('parseOpenCodeLine', () => {
  it.each<Row>([
    ['step_start says nothing', oc('step_start', { type: 'step-start' }), []],
    [
      'text from part',
      oc('text', { type: 'text', text: 'Hi.' }),
      [{ type: 'text', text: 'Hi.', delta: false }],
    ],
    [
      'top-level text wins',
      oc('text', { text: 'part' }, { text: 'top' }),
      [{ type: 'text', text: 'top', delta: false }],
    ],
    ['empty text says nothing', oc('text', { text: '' }), []],
    ['reasoning', oc('reasoning', { text: 'hmm' }), [{ type: 'thinking', text: 'hmm', delta: false }]],
    [
      'completed tool: call and result',
      oc('tool_use', {
        type: 'tool',
        tool: 'bash',
        state: { status: 'completed', input: { command: 'make test' }, output: 'FAIL\n' },
      }),
      [
        { type: 'tool_call', tag: 'tool', name: 'bash', summary: 'make test' },
        { type: 'tool_result', ok: true, output: 'FAIL\n' },
      ],
    ],
    [
      'failed tool',
      oc('tool_use', {
        tool: 'read',
        state: { status: 'error', input: { filePath: '/w/x.go' }, error: 'not found' },
      }),
      [
        { type: 'tool_call', tag: 'tool', name: 'read', summary: '/w/x.go' },
        { type: 'tool_result', ok: false, output: 'not found' },
      ],
    ],
    [
      'running tool: call only',
      oc('tool_use', { tool: 'bash', state: { status: 'running', input: { command: 'sleep 1' } } }),
      [{ type: 'tool_call', tag: 'tool', name: 'bash', summary: 'sleep 1' }],
    ],
    [
      'intermediate step: usage',
      oc('step_finish', {
        reason: 'tool-calls',
        cost: 0,
        tokens: { input: 10, output: 2, cache: { read: 1, write: 0 } },
      }),
      [{ type: 'usage', usage: { inputTokens: 10, cachedTokens: 1, outputTokens: 2 } }],
    ],
    [
      'final step: result without a zero cost',
      oc('step_finish', { reason: 'stop', cost: 0, tokens: { input: 10, output: 2 } }),
      [{ type: 'result', status: 'completed', usage: { inputTokens: 10, outputTokens: 2 } }],
    ],
    [
      'final step with cost',
      oc('step_finish', { reason: 'stop', cost: 0.0123, tokens: { input: 10, output: 2 } }),
      [{ type: 'result', status: 'completed', costUsd: 0.0123, usage: { inputTokens: 10, outputTokens: 2 } }],
    ],
    [
      'step without tokens (spec: [result] completed)',
      oc('step_finish', {}),
      [{ type: 'result', status: 'completed', usage: {} }],
    ],
    [
      'step cut by length',
      oc('step_finish', { reason: 'length' }),
      [{ type: 'result', status: 'incomplete', reasons: 'reason=length', usage: {} }],
    ],
    ['step error', oc('step_finish', { reason: 'error' }), [{ type: 'result', status: 'error', usage: {} }]],
    [
      'error event',
      j({ type: 'error', error: { name: 'ProviderAuthError', data: { message: 'bad key' } } }),
      [{ type: 'error', message: 'bad key', level: 'error' }],
    ],
    [
      'error event with a name only',
      j({ type: 'error', error: { name: 'UnknownError' } }),
      [{ type: 'error', message: 'UnknownError', level: 'error' }],
    ],
  ])('%s', (_case, line, events) => {
    expect(parseOpenCodeLine(line)).toEqual(events);
  });
});

describe('parserFor', () => {
  it.each([
    ['claude-code', parseClaudeLine],
    ['cursor', parseClaudeLine],
    ['', parseClaudeLine],
    [undefined, parseClaudeLine],
    ['my-custom-agent', parseClaudeLine],
    ['codex', parseCodexLine],
    ['gemini', parseGeminiLine],
    ['opencode', parseOpenCodeLine],
  ])('%s', (agentType, parser) => {
    expect(parserFor(agentType)).toBe(parser);
  });
});

describe('tool summaries', () => {
  it.each([
    ['Read', { file_path: '/a.go' }, '/a.go'],
    ['Write', { file_path: '/a.go', content: 'x' }, '/a.go'],
    ['Bash', { command: 'ls', description: 'List' }, 'ls'],
    ['Glob', { pattern: '**/*.ts', path: '/w' }, '**/*.ts'],
    ['Grep', { pattern: 'TODO', path: '/w' }, 'TODO'],
    ['WebFetch', { url: 'https://x.dev', prompt: 'Summarise' }, 'https://x.dev'],
    ['WebSearch', { query: 'kelos' }, 'kelos'],
    ['Task', { description: 'Review', prompt: 'Long prompt' }, 'Review'],
    ['NotebookEdit', { notebook_path: '/n.ipynb' }, '/n.ipynb'],
    ['opencode read', { filePath: '/b.go' }, '/b.go'],
    ['gemini list_directory', { dir_path: '/w' }, '/w'],
    ['empty strings are skipped', { command: '', file_path: '/c' }, '/c'],
  ])('%s', (_tool, input, summary) => {
    expect(toolSummary(input)).toBe(summary);
  });

  it('has no summary for unknown inputs', () => {
    expect(toolSummary({ todos: [] })).toBeUndefined();
    expect(toolSummary('npm test')).toBeUndefined();
    expect(toolSummary(undefined)).toBeUndefined();
  });

  it('shows newlines as a literal \\n', () => {
    expect(summarize('a\nb\r\nc')).toBe('a\\nb\\nc');
  });

  it('cuts at 120 runes plus ...', () => {
    expect(summarize('a'.repeat(120))).toBe('a'.repeat(120));
    expect(summarize('a'.repeat(121))).toBe(`${'a'.repeat(120)}...`);
    // Runes, not UTF-16 units: each emoji is two units and counts once.
    expect(summarize('😀'.repeat(130))).toBe(`${'😀'.repeat(120)}...`);
  });
});
