import { OUTPUTS_START_MARKER } from '@kelos/shared';
import type { LogEvent, ResultEvent, ToolCallEvent, ToolResultEvent, Usage } from './events.js';
import { OMITTED_SUFFIX } from './split.js';
import type { Style } from './style.js';

/**
 * Where a piece of output goes. As in the reference (spec §10), the agent's prose and lines that
 * are not events go to stdout; everything structural goes to stderr, so `> answer.txt` keeps
 * the prose.
 */
export type Channel = 'stdout' | 'stderr';
export type LogWriter = (text: string, channel: Channel) => void;

export interface RenderOptions {
  /** Lines of a tool result shown before `… (N more lines)`. Default 6. */
  toolResultLines?: number;
  /** Lines of a thinking block shown. Default 4. */
  thinkingLines?: number;
  /** Characters of one tool-output or thinking line shown before it is cut with `…`. Default 200. */
  lineWidth?: number;
}

/** The output block has about ten lines; more means a stray START marker, not a block. */
const MAX_OUTPUT_LINES = 200;
/** How much streamed text is kept to recognise the whole message that may follow it. */
const STREAMED_KEEP = 64 * 1024;

/**
 * Prints log events of any format as readable lines. Stateful only where the output needs it:
 * turn numbers, a streamed message whose whole copy must not be printed again, a line left open
 * by streamed text, and the output block being collected.
 */
export class LogRenderer {
  private readonly toolResultLines: number;
  private readonly thinkingLines: number;
  private readonly lineWidth: number;
  private turns = 0;
  private turnId: string | undefined;
  /** The channel whose last write did not end its line. */
  private openLine: Channel | undefined;
  private streamKind: 'text' | 'thinking' | undefined;
  private streamed = '';
  private streamedLength = 0;
  /** The raw lines of an output block while between its markers. */
  private outputs: string[] | undefined;

  constructor(
    private readonly style: Style,
    private readonly write: LogWriter,
    options: RenderOptions = {},
  ) {
    this.toolResultLines = options.toolResultLines ?? 6;
    this.thinkingLines = options.thinkingLines ?? 4;
    this.lineWidth = options.lineWidth ?? 200;
  }

  render(event: LogEvent): void {
    switch (event.type) {
      case 'text':
      case 'thinking':
        this.prose(event.type, event.text, event.delta);
        return;
      case 'turn':
        // Claude repeats the message per content block, and announces it when streaming.
        if (event.id !== undefined && event.id === this.turnId) return;
        this.endStream();
        this.turns++;
        this.turnId = event.id;
        this.write(`\n${this.style.bold(`--- Turn ${this.turns} ---`)}\n`, 'stderr');
        return;
      case 'raw':
        if (this.outputs) this.collectOutput(event.line);
        else this.line(event.line, 'stdout');
        return;
    }
    this.endStream();
    switch (event.type) {
      case 'session':
        this.line(this.style.dim(event.model ? `[init] model=${event.model}` : '[init]'), 'stderr');
        return;
      case 'tool_call':
        this.line(this.style.cyan(toolLine(event)), 'stderr');
        return;
      case 'tool_result':
        this.toolResult(event);
        return;
      case 'usage': {
        const usage = usageText(event.usage, false);
        if (usage) this.line(this.style.dim(`[usage] ${usage}`), 'stderr');
        return;
      }
      case 'result':
        this.result(event);
        return;
      case 'error':
        if (event.level === 'warning') this.line(this.style.yellow(`[warning] ${event.message}`), 'stderr');
        else this.line(this.style.red(`[error] ${event.message}`), 'stderr');
        return;
      case 'setup':
        if (event.phase === 'start') this.line(this.style.dim('[setup] running setup command'), 'stderr');
        else if (event.phase === 'done') this.line(this.style.dim('[setup] setup command done'), 'stderr');
        else {
          const exit = event.exitCode === undefined ? '' : ` (exit=${event.exitCode})`;
          this.line(this.style.red(`[setup] setup command failed${exit}`), 'stderr');
        }
        return;
      case 'outputs_start':
        // A second START means the first was not a block: show what it held as it was.
        if (this.outputs) this.flushOutputsRaw();
        this.outputs = [];
        return;
      case 'outputs_end':
        if (this.outputs) this.outputSummary(this.outputs);
        else this.line(this.style.dim('---KELOS_OUTPUTS_END---'), 'stdout');
        this.outputs = undefined;
        return;
    }
  }

  /** Ends the output: closes a streamed line and shows an unterminated output block as it was. */
  end(): void {
    this.endStream();
    if (this.outputs) this.flushOutputsRaw();
  }

  private prose(kind: 'text' | 'thinking', text: string, delta: boolean): void {
    if (delta) {
      if (this.streamKind !== kind) {
        this.endStream();
        this.streamKind = kind;
        if (kind === 'thinking') this.partial('[thinking] ', this.style.dim('[thinking] '), 'stderr');
      }
      if (this.streamed.length < STREAMED_KEEP) this.streamed += text;
      this.streamedLength += text.length;
      if (kind === 'text') this.partial(text, text, 'stdout');
      else this.partial(text, this.style.dim(text), 'stderr');
      return;
    }
    const repeatsStream =
      this.streamKind === kind && text.length === this.streamedLength && text.startsWith(this.streamed);
    this.endStream();
    if (repeatsStream) return;
    if (kind === 'text') {
      if (text.length > 0) this.write(text.endsWith('\n') ? text : `${text}\n`, 'stdout');
      return;
    }
    this.line(this.style.dim('[thinking]'), 'stderr');
    this.block(text, this.thinkingLines, true, (s) => this.style.dim(s));
  }

  private toolResult(event: ToolResultEvent): void {
    const colour = event.ok ? (s: string) => this.style.dim(s) : (s: string) => this.style.red(s);
    this.block(event.output, this.toolResultLines, false, colour);
    if (!event.ok) {
      const why = event.exitCode !== undefined && event.exitCode !== 0 ? `exit ${event.exitCode}` : 'failed';
      this.line(this.style.red(`  ✗ ${why}`), 'stderr');
    }
  }

  /** Spec §10: `[result] completed (3 turns, $0.0142)`, `[result] completed (input=I, output=O)`. */
  private result(event: ResultEvent): void {
    const claudeStyle = event.turns !== undefined;
    const parts: string[] = [];
    if (claudeStyle) parts.push(`${event.turns} turns`);
    else {
      if (event.usage.inputTokens !== undefined) parts.push(`input=${event.usage.inputTokens}`);
      if (event.usage.outputTokens !== undefined) parts.push(`output=${event.usage.outputTokens}`);
    }
    if (event.costUsd !== undefined) parts.push(`$${event.costUsd.toFixed(4)}`);
    let head = `[result] ${event.status}`;
    if (event.reasons) head += ` (${event.reasons})`;
    if (parts.length > 0) head += ` (${parts.join(', ')})`;
    const colour =
      event.status === 'completed'
        ? this.style.green
        : event.status === 'error'
          ? this.style.red
          : this.style.yellow;
    this.line(`\n${colour(head)}`, 'stderr');
    if (event.status === 'error' && event.text) this.line(event.text, 'stdout');
    const rest = usageText(event.usage, !claudeStyle);
    if (rest) this.line(this.style.dim(`[usage] ${rest}`), 'stderr');
  }

  private collectOutput(line: string): void {
    const outputs = this.outputs as string[];
    outputs.push(line);
    if (outputs.length > MAX_OUTPUT_LINES) this.flushOutputsRaw();
  }

  private flushOutputsRaw(): void {
    const lines = this.outputs ?? [];
    this.outputs = undefined;
    this.line(OUTPUTS_START_MARKER, 'stdout');
    for (const line of lines) this.line(line, 'stdout');
  }

  /**
   * The block's `key: value` lines (api-controller §6.1) under `[outputs]`. `response` is left
   * out: it is the base64 of the final message, which the log has already shown.
   */
  private outputSummary(lines: readonly string[]): void {
    const shown: string[] = [];
    for (const raw of lines) {
      const line = raw.trim();
      if (line === '') continue;
      const at = line.indexOf(': ');
      if (at > 0) {
        const key = line.slice(0, at);
        if (key !== 'response') shown.push(`  ${this.style.dim(`${key}:`)} ${line.slice(at + 2)}`);
      } else shown.push(`  ${line}`);
    }
    if (shown.length === 0) return;
    this.line(`\n${this.style.bold('[outputs]')}`, 'stderr');
    for (const line of shown) this.line(line, 'stderr');
  }

  /**
   * Text as indented lines on stderr: at most `maxLines`, each cut at the line width, then
   * `… (N more lines)`, or `… (19.9 MB more)` when the splitter already cut a giant text.
   */
  private block(text: string, maxLines: number, skipBlank: boolean, colour: (text: string) => string): void {
    let body = text;
    // The regex runs only on the rare text that ends like a cut one.
    const omitted = body.endsWith(' more)') ? OMITTED_SUFFIX.exec(body.slice(-64)) : null;
    if (omitted) body = body.slice(0, body.length - omitted[0].length);
    let end = body.length;
    while (end > 0 && body.charCodeAt(end - 1) <= 0x20) end--;
    let pos = 0;
    let shown = 0;
    while (pos < end && shown < maxLines) {
      let nl = body.indexOf('\n', pos);
      if (nl === -1 || nl > end) nl = end;
      const line = body.slice(pos, nl);
      pos = nl + 1;
      if (skipBlank && line.trim() === '') continue;
      this.line(colour(`  ${this.cut(line)}`), 'stderr');
      shown++;
    }
    if (omitted) this.line(colour(`  … (${omitted[1]} more)`), 'stderr');
    else if (pos < end)
      this.line(colour(`  … (${countLines(body, pos, end, skipBlank)} more lines)`), 'stderr');
  }

  private cut(line: string): string {
    const text = line.charCodeAt(line.length - 1) === 0x0d ? line.slice(0, -1) : line;
    if (text.length <= this.lineWidth) return text;
    let at = this.lineWidth;
    // Do not split a surrogate pair.
    const c = text.charCodeAt(at - 1);
    if (c >= 0xd800 && c <= 0xdbff) at--;
    return `${text.slice(0, at)}…`;
  }

  private line(text: string, channel: Channel): void {
    this.closeLine();
    this.write(`${text}\n`, channel);
  }

  /** Writes streamed text; `plain` is the text without colour codes, to see whether it ends a line. */
  private partial(plain: string, styled: string, channel: Channel): void {
    if (this.openLine !== undefined && this.openLine !== channel) this.closeLine();
    this.write(styled, channel);
    this.openLine = plain.endsWith('\n') ? undefined : channel;
  }

  private closeLine(): void {
    if (this.openLine === undefined) return;
    this.write('\n', this.openLine);
    this.openLine = undefined;
  }

  private endStream(): void {
    this.closeLine();
    this.streamKind = undefined;
    this.streamed = '';
    this.streamedLength = 0;
  }
}

/** `[tool] Bash: npm test`, `[command] make test`, `[web_search]` (spec §10). */
function toolLine(event: ToolCallEvent): string {
  let line = `[${event.tag}]`;
  if (event.name) line += ` ${event.name}`;
  if (event.summary) line += event.name ? `: ${event.summary}` : ` ${event.summary}`;
  return line;
}

/** `input=I cached=C output=O duration=1m2s`, leaving out the tokens a result line already shows. */
function usageText(usage: Usage, tokensShown: boolean): string {
  const parts: string[] = [];
  if (!tokensShown && usage.inputTokens !== undefined) parts.push(`input=${usage.inputTokens}`);
  if (usage.cachedTokens !== undefined) parts.push(`cached=${usage.cachedTokens}`);
  if (!tokensShown && usage.outputTokens !== undefined) parts.push(`output=${usage.outputTokens}`);
  if (usage.durationMs !== undefined) parts.push(`duration=${formatDuration(usage.durationMs)}`);
  return parts.join(' ');
}

/** `850ms`, `48.2s`, `3m12s`, `1h4m`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
  return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
}

function countLines(text: string, start: number, end: number, skipBlank: boolean): number {
  let count = 0;
  let pos = start;
  while (pos < end) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1 || nl > end) nl = end;
    if (!skipBlank || text.slice(pos, nl).trim() !== '') count++;
    pos = nl + 1;
  }
  return count;
}
