export { parseClaudeLine } from './claude.js';
export { parseCodexLine } from './codex.js';
export type {
  ErrorEvent,
  LineParser,
  LogEvent,
  OutputsMarkerEvent,
  RawEvent,
  ResultEvent,
  SessionEvent,
  SetupEvent,
  TextEvent,
  ThinkingEvent,
  ToolCallEvent,
  ToolResultEvent,
  TurnEvent,
  Usage,
  UsageEvent,
} from './events.js';
export { parseGeminiLine } from './gemini.js';
export { parseOpenCodeLine } from './opencode.js';
export { parserFor } from './parser-for.js';
export { type Channel, formatDuration, LogRenderer, type LogWriter, type RenderOptions } from './render.js';
export { formatBytes, LineSplitter, type SplitOptions, splitLines } from './split.js';
export { renderLogBytes, renderLogStream } from './stream.js';
export { ansiStyle, plainStyle, type Style } from './style.js';
export { summarize, toolSummary } from './summary.js';
