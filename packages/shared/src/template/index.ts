import { execute, type MissingKey, type TemplateFunc } from './exec.js';
import { BUILTINS } from './funcs.js';
import { parse } from './parser.js';

// Go's text/template for JS data, so that templates written for the Go implementation of Kelos
// render the same here: same syntax, same output, same error messages. JS values stand in for Go values: objects are
// map[string]interface{}, arrays []interface{}, integral numbers int, other numbers float64,
// null and undefined nil; strings are measured, indexed and sliced in UTF-8 bytes as in Go.
//
// Where JS data cannot say what Go would know, the renderer is lenient: an int compares with
// a float and float verbs (%f, %e, %g) accept integers. Not supported: complex numbers, custom
// delimiters, methods (a function in the data is only run by call), %x/%b of non-integral
// numbers, the # flag with floats and %p; a function value prints as <func>.

export { TemplateError } from './errors.js';
export type { MissingKey, TemplateFunc } from './exec.js';

/** Options for rendering; see parseTemplate and Template.execute. */
export interface RenderOptions {
  /**
   * What a missing map key yields: "default" prints <no value>, "zero" the zero value of
   * interface{} (which also prints <no value>, as in Go), "error" stops execution.
   * Defaults to "default", as in Go; Kelos uses "error".
   */
  missingKey?: MissingKey;
  /** The name errors report the template under; "template" by default. */
  name?: string;
  /** Functions callable from the template besides the builtins, which they can also replace. */
  funcs?: Record<string, TemplateFunc>;
}

export interface ParseOptions {
  /**
   * Functions the template may call besides the builtins. As in Go, a call to an unknown
   * function is a syntax error, so custom functions must be known when parsing.
   */
  funcs?: Record<string, TemplateFunc>;
}

export interface Template {
  readonly name: string;
  /**
   * Runs the template. `options.funcs` replaces functions of the same name, those given when
   * parsing or builtins; `options.name` is ignored, as parsing fixed the name.
   * @throws {TemplateError} when execution fails, with Go's message.
   */
  execute(data: unknown, options?: RenderOptions): string;
}

const DEFAULT_NAME = 'template';

/**
 * Parses a template; {{define}} and {{block}} in the source define templates that
 * {{template}} can call.
 * @throws {TemplateError} on a syntax error, with Go's message.
 */
export function parseTemplate(
  source: string,
  name: string = DEFAULT_NAME,
  options: ParseOptions = {},
): Template {
  const parseFuncs = options.funcs ?? {};
  const templates = parse(source, name, (fn) => BUILTINS.has(fn) || Object.hasOwn(parseFuncs, fn));
  return {
    name,
    execute: (data, { missingKey = 'default', funcs = {} } = {}) =>
      execute({ source, name, templates, missingKey, funcs: { ...parseFuncs, ...funcs } }, data),
  };
}

/**
 * Parses and runs a template in one go.
 * @throws {TemplateError} on a syntax or execution error.
 */
export function renderTemplate(source: string, data: unknown, options: RenderOptions = {}): string {
  return parseTemplate(source, options.name, options).execute(data, options);
}
