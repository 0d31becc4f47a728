import { utf8Length } from './text.js';

/**
 * A template failed to parse or to execute. The message has the exact shape of the Go
 * text/template error (`template: name:line: ...` when parsing,
 * `template: name:line:col: executing "name" at <node>: ...` when executing).
 */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  /** The template being parsed, or the (possibly `define`d) template being executed. */
  readonly templateName: string;
  /** 1-based line of the offending token in the source. */
  readonly line: number;
  /**
   * 1-based column of the offending token, counted in UTF-16 code units. The column inside
   * an execution message is Go's 0-based byte offset instead, so it can differ.
   */
  readonly column: number;

  constructor(message: string, templateName: string, line: number, column: number, options?: ErrorOptions) {
    super(message, options);
    this.templateName = templateName;
    this.line = line;
    this.column = column;
  }
}

export interface Location {
  readonly line: number;
  readonly column: number;
  /** Go's column: the byte offset of the position within its line, from 0. */
  readonly byteColumn: number;
}

/** Computed only when an error is raised, so positions cost nothing on the happy path. */
export function locate(source: string, pos: number): Location {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < pos; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: pos - lineStart + 1, byteColumn: utf8Length(source.slice(lineStart, pos)) };
}
