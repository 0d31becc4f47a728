#!/usr/bin/env node
// The fake agent of Kelos's tests and demo: no model, no credentials, real git. It answers the
// prompt in $1 the way Claude Code would, in `--output-format stream-json`, so kelos-capture and
// the controller see a realistic stream:
//   - in /workspace/repo (when present) it appends the prompt to KELOS_FAKE.md, commits on the
//     checked-out branch and pushes it to origin ("skip push" in the prompt: no push);
//   - "fail": an error result and exit 1, without touching the repository;
//   - "hang": never finishes (until killed);
//   - "20mb": a 20 MB JSON line (a huge tool result) before the result.
// Usage is deterministic: input tokens = prompt bytes, 17 output tokens, cost 0.0125 USD.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';

const REPO = '/workspace/repo';
const prompt = process.argv[2] ?? '';
const has = (word) => new RegExp(`\\b${word}\\b`, 'i').test(prompt);
const sessionId = randomUUID();
const started = Date.now();

function emit(event) {
  process.stdout.write(`${JSON.stringify({ ...event, session_id: sessionId, uuid: randomUUID() })}\n`);
}

function say(text) {
  emit({
    type: 'assistant',
    message: { role: 'assistant', model: 'kelos-fake', content: [{ type: 'text', text }] },
    parent_tool_use_id: null,
  });
}

/** A Bash tool call and its result, as Claude reports them, running the command for real. */
function bash(description, file, args) {
  const id = `toolu_${randomUUID().replaceAll('-', '')}`;
  emit({
    type: 'assistant',
    message: {
      role: 'assistant',
      model: 'kelos-fake',
      content: [
        { type: 'tool_use', id, name: 'Bash', input: { command: [file, ...args].join(' '), description } },
      ],
    },
    parent_tool_use_id: null,
  });
  let output;
  let isError = false;
  try {
    output = execFileSync(file, args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    output = `${err.stdout ?? ''}${err.stderr ?? err.message}`;
    isError = true;
  }
  emit({
    type: 'user',
    message: {
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: id, content: output, is_error: isError }],
    },
    parent_tool_use_id: null,
  });
  if (isError) throw new Error(`${description} failed: ${output.trim()}`);
  return output.trim();
}

function result(text, error) {
  emit({
    type: 'result',
    subtype: error ? 'error_during_execution' : 'success',
    is_error: error,
    duration_ms: Date.now() - started,
    duration_api_ms: 0,
    num_turns: 1,
    result: text,
    stop_reason: 'end_turn',
    total_cost_usd: 0.0125,
    usage: { input_tokens: Buffer.byteLength(prompt), output_tokens: 17 },
  });
}

/** Edits, commits and (unless told not to) pushes; returns what it did, in one sentence. */
function work() {
  if (!existsSync(REPO)) return `No repository at ${REPO}; nothing to change.`;
  appendFileSync(`${REPO}/KELOS_FAKE.md`, `${prompt}\n`);
  bash('Configure the committer', 'git', ['config', 'user.name', 'Kelos Fake Agent']);
  bash('Configure the committer', 'git', ['config', 'user.email', 'fake-agent@kelos.dev']);
  bash('Stage the change', 'git', ['add', 'KELOS_FAKE.md']);
  bash('Commit', 'git', ['commit', '-q', '-m', `kelos fake agent: ${prompt.split('\n')[0]?.slice(0, 60)}`]);
  const branch = bash('Find the branch', 'git', ['branch', '--show-current']);
  if (has('skip push')) return 'Committed the prompt to KELOS_FAKE.md; push skipped as asked.';
  if (!branch) return 'Committed the prompt to KELOS_FAKE.md; HEAD is detached, so nothing was pushed.';
  bash('Push', 'git', ['push', '-q', 'origin', `HEAD:refs/heads/${branch}`]);
  return `Committed the prompt to KELOS_FAKE.md and pushed ${branch}.`;
}

emit({
  type: 'system',
  subtype: 'init',
  cwd: process.cwd(),
  tools: ['Bash'],
  mcp_servers: [],
  model: process.env.KELOS_MODEL || 'kelos-fake',
  permissionMode: 'bypassPermissions',
  claude_code_version: 'kelos-fake',
});
say(`Working on: ${prompt}`);

if (has('hang')) {
  say('Hanging until killed.');
  setInterval(() => {}, 1 << 30);
} else if (has('fail')) {
  result('Failing on purpose: the prompt asked for it.', true);
  process.exitCode = 1;
} else {
  if (has('20mb')) {
    const content = 'x'.repeat(20 * 1024 * 1024);
    emit({
      type: 'user',
      message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_20mb', content }] },
      parent_tool_use_id: null,
    });
  }
  try {
    const text = work();
    say(text);
    result(text, false);
  } catch (err) {
    result(err.message, true);
    process.exitCode = 1;
  }
}
