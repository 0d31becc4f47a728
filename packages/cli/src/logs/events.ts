/**
 * What a line of an agent's log stream means, independent of the agent that wrote it. Each
 * format's parser maps one line to zero or more of these; one renderer prints them all.
 */
export type LogEvent =
  | SessionEvent
  | TurnEvent
  | TextEvent
  | ThinkingEvent
  | ToolCallEvent
  | ToolResultEvent
  | UsageEvent
  | ResultEvent
  | ErrorEvent
  | SetupEvent
  | OutputsMarkerEvent
  | RawEvent;

/** The agent started: the model it runs and the tools it was given. */
export interface SessionEvent {
  type: 'session';
  model?: string;
  tools?: string[];
}

/**
 * A new model turn begins. `id` identifies the message where the format has one: Claude sends
 * one `assistant` line per content block of the same message, and those are one turn.
 */
export interface TurnEvent {
  type: 'turn';
  id?: string;
}

/**
 * Assistant prose. `delta` marks a streamed piece of a message; formats that stream pieces may
 * also send the whole message afterwards, which the renderer then does not print twice.
 */
export interface TextEvent {
  type: 'text';
  text: string;
  delta: boolean;
}

export interface ThinkingEvent {
  type: 'thinking';
  text: string;
  delta: boolean;
}

/**
 * The agent invoked a tool. Printed as `[tag] name: summary`: `tag` is `tool` for ordinary tool
 * calls and the item type for Codex items (`[command] make test`, `[web_search]`), as spec §10
 * prints them.
 */
export interface ToolCallEvent {
  type: 'tool_call';
  tag: string;
  name?: string;
  /** One line: the command, file path, pattern, … (already shortened, see `summarize`). */
  summary?: string;
}

export interface ToolResultEvent {
  type: 'tool_result';
  ok: boolean;
  output: string;
  exitCode?: number;
}

/** Token counts of one step or turn (Codex `turn.completed`, OpenCode intermediate steps). */
export interface UsageEvent {
  type: 'usage';
  usage: Usage;
}

export interface Usage {
  inputTokens?: number;
  cachedTokens?: number;
  outputTokens?: number;
  durationMs?: number;
}

/**
 * The run finished. `incomplete` is a normal exit that did not finish the work (Claude stopped
 * at max turns, a tool_use stop reason, …); `reasons` then names the offending fields.
 */
export interface ResultEvent {
  type: 'result';
  status: 'completed' | 'incomplete' | 'error';
  reasons?: string;
  /** The final text; shown only for errors, since the last assistant message already holds it. */
  text?: string;
  turns?: number;
  costUsd?: number;
  usage: Usage;
}

export interface ErrorEvent {
  type: 'error';
  message: string;
  level: 'error' | 'warning';
}

/** The image contract's setup-command markers (api-controller §12.1). */
export interface SetupEvent {
  type: 'setup';
  phase: 'start' | 'done' | 'failed';
  exitCode?: number;
}

/**
 * The Kelos output block markers (api-controller §6.1). The `key: value` lines between them are
 * plain text, so the parsers return them as raw lines; the renderer collects them.
 */
export interface OutputsMarkerEvent {
  type: 'outputs_start' | 'outputs_end';
}

/** A line that is not an event of the format: printed as it is. */
export interface RawEvent {
  type: 'raw';
  line: string;
}

/** A parser for one agent stream format: one log line (without its newline) in, events out. */
export type LineParser = (line: string) => LogEvent[];
