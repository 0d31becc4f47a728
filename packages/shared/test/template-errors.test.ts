import { describe, expect, it } from 'vitest';
import { parseTemplate, type RenderOptions, renderTemplate, TemplateError } from '../src/template/index.js';

// Error messages are Go's, character for character. Parse errors name the line only;
// execution errors name line and byte column. The line and column properties are 1-based.

function failure(template: string, data: unknown = {}, options: RenderOptions = {}): TemplateError {
  try {
    renderTemplate(template, data, { name: 'prompt', ...options });
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(template)} to fail`);
}

type ParseCase = readonly [template: string, message: string];

describe('syntax errors', () => {
  it.each<ParseCase>([
    ['{{.Foo', 'template: prompt:1: unclosed action'],
    ['x\n{{.Foo\n\n', 'template: prompt:4: unclosed action started at prompt:2'],
    ['x {{ .A\n | "abc\n }}', 'template: prompt:2: unterminated quoted string in action started at prompt:1'],
    ['{{"abc}}', 'template: prompt:1: unterminated quoted string'],
    ['{{"abc\n"}}', 'template: prompt:1: unterminated quoted string'],
    ['{{`abc}}', 'template: prompt:1: unterminated raw quoted string'],
    ["{{'a}}", 'template: prompt:1: unterminated character constant'],
    ["{{'ab'}}", "template: prompt:1: malformed character constant: 'ab'"],
    ['{{"\\q"}}', 'template: prompt:1: invalid syntax'],
    ['{{foo}}', 'template: prompt:1: function "foo" not defined'],
    ['{{.A | foo}}', 'template: prompt:1: function "foo" not defined'],
    ['{{if .A}}x', 'template: prompt:1: unexpected EOF'],
    ['{{if .A}}\n\nx', 'template: prompt:3: unexpected EOF'],
    ['{{define "a"}}x', 'template: prompt:1: unexpected EOF'],
    ['{{range .}}{{end}}{{end}}', 'template: prompt:1: unexpected {{end}}'],
    ['{{else}}', 'template: prompt:1: unexpected {{else}}'],
    ['{{end}}{{"never lexed', 'template: prompt:1: unexpected {{end}}'],
    ['{{}}', 'template: prompt:1: missing value for command'],
    ['{{ }}', 'template: prompt:1: missing value for command'],
    ['{{if}}{{end}}', 'template: prompt:1: missing value for if'],
    ['{{range}}{{end}}', 'template: prompt:1: missing value for range'],
    ['{{if .}}{{else if}}{{end}}', 'template: prompt:1: missing value for if'],
    ['{{3k}}', 'template: prompt:1: bad number syntax: "3k"'],
    ['{{1.2.3}}', 'template: prompt:1: unexpected ".3" in operand'],
    ['{{1.2x}}', 'template: prompt:1: bad number syntax: "1.2x"'],
    ['{{089}}', 'template: prompt:1: integer overflow: "089"'],
    ['{{99999999999999999999}}', 'template: prompt:1: integer overflow: "99999999999999999999"'],
    ['{{1e400}}', 'template: prompt:1: illegal number syntax: "1e400"'],
    ['{{1+2i}}', 'template: prompt:1: complex constants are not supported: 1+2i'],
    ['{{break}}', 'template: prompt:1: {{break}} outside {{range}}'],
    ['{{continue}}', 'template: prompt:1: {{continue}} outside {{range}}'],
    ['{{range .}}{{else}}{{break}}{{end}}', 'template: prompt:1: {{break}} outside {{range}}'],
    ['{{range .}}{{break 1}}{{end}}', 'template: prompt:1: unexpected "1" in {{break}}'],
    ['{{if .}}{{else}}{{else}}{{end}}', 'template: prompt:1: expected end; found {{else}}'],
    ['{{range .}}{{else if .}}{{end}}', 'template: prompt:1: unexpected <if> in input'],
    ['{{$x}}', 'template: prompt:1: undefined variable "$x"'],
    ['{{if true}}{{$x := 1}}{{end}}{{$x}}', 'template: prompt:1: undefined variable "$x"'],
    ['{{$x := 1}}{{define "T"}}{{$x}}{{end}}', 'template: prompt:1: undefined variable "$x"'],
    ['{{.A | "x"}}', 'template: prompt:1: non executable command in pipeline stage 2'],
    ['{{(1}}', 'template: prompt:1: unclosed left paren'],
    ['{{1)}}', 'template: prompt:1: unexpected right paren'],
    ['{{|}}', 'template: prompt:1: unexpected "|" in command'],
    ['{{.A :}}', 'template: prompt:1: expected :='],
    ['{{€}}', "template: prompt:1: unrecognized character in action: U+20AC '€'"],
    ['{{.A#}}', "template: prompt:1: bad character U+0023 '#'"],
    ['{{"a".B}}', 'template: prompt:1: unexpected . after term "\\"a\\""'],
    ['{{with $x, $y := .}}{{end}}', 'template: prompt:1: too many declarations in with'],
    ['{{range $a, 1}}{{end}}', 'template: prompt:1: range can only initialize variables'],
    ['{{range $a, $b, $c := .}}{{end}}', 'template: prompt:1: too many declarations in range'],
    ['{{template .X}}', 'template: prompt:1: unexpected ".X" in template clause'],
    ['{{/* unclosed', 'template: prompt:1: unclosed comment'],
    ['{{/* c */ }}', 'template: prompt:1: comment ends before closing delimiter'],
    ['{{if .}}{{define "a"}}{{end}}{{end}}', 'template: prompt:1: unexpected <define> in command'],
    ['{{define a}}{{end}}', 'template: prompt:1: unexpected "a" in define clause'],
    [
      '{{define "a" "0123456789abc"}}{{end}}',
      'template: prompt:1: unexpected "\\"012345678"... in define clause',
    ],
    ['{{block "b" .}}\nx\n{{else}}y{{end}}', 'template: prompt:1: unexpected {{else}} in block clause'],
    [
      '{{define "a"}}x{{end}}{{define "a"}}y{{end}}',
      'template: prompt:1: template: multiple definition of template "a"',
    ],
    [
      '{{define "prompt"}}x{{end}}y',
      'template: prompt:1: template: multiple definition of template "prompt"',
    ],
    [
      '{{define "b"}}o{{end}}{{block "b" .}}d{{end}}',
      'template: prompt:1: template: multiple definition of template "b"',
    ],
  ])('%j', (template, message) => {
    expect(failure(template).message).toBe(message);
  });

  // As in Go, the position is that of the last token read: for a closing action, its }}.
  it.each([
    ['unterminated action', 'ab\n{{ .X', 'unclosed action', 2, 6],
    ['unterminated string', 'x {{ "abc', 'unterminated quoted string', 1, 6],
    ['unknown function', '\n  {{ foo }}', 'function "foo" not defined', 2, 6],
    ['unexpected end', '{{end}}', 'unexpected {{end}}', 1, 6],
    ['missing end', '{{if .}}\nabc', 'unexpected EOF', 2, 4],
    ['bad number', '{{ 3k }}', 'bad number syntax: "3k"', 1, 4],
    ['else outside if', 'a\n{{else}}', 'unexpected {{else}}', 2, 7],
    ['break outside range', '{{break}}', '{{break}} outside {{range}}', 1, 8],
  ] as const)('%s is reported with its position', (_, template, message, line, column) => {
    const error = failure(template);
    expect(error.message).toBe(`template: prompt:${line}: ${message}`);
    expect([error.line, error.column]).toEqual([line, column]);
  });

  it('reports the position of the offending token', () => {
    const error = failure('a\nbc\n  {{foo}}');
    expect(error).toBeInstanceOf(TemplateError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('TemplateError');
    expect(error.message).toBe('template: prompt:3: function "foo" not defined');
    expect([error.templateName, error.line, error.column]).toEqual(['prompt', 3, 5]);
  });

  it('reports unterminated strings where the string starts', () => {
    const error = failure('line\n  {{ "abc }}');
    expect([error.line, error.column]).toEqual([2, 6]);
  });

  it('reports a missing end at the end of the input', () => {
    const error = failure('{{range .}}\nabc');
    expect(error.message).toBe('template: prompt:2: unexpected EOF');
    expect([error.line, error.column]).toEqual([2, 4]);
  });

  it('is raised by parseTemplate, under the default name "template"', () => {
    expect(() => parseTemplate('{{if}}')).toThrow('template: template:1: missing value for if');
  });

  it('accepts an empty redefinition', () => {
    expect(renderTemplate('{{define "a"}}x{{end}}{{define "a"}} {{end}}{{template "a"}}', {})).toBe('x');
  });
});

type ExecCase = readonly [template: string, data: unknown, message: string];

describe('execution errors', () => {
  const data = { L: [1, 2, 3], M: { a: 1, n: null }, N: null, S: 'str', F: () => 'f' };
  it.each<ExecCase>([
    [
      'Hello, {{.Foo}}',
      {},
      'template: prompt:1:9: executing "prompt" at <.Foo>: map has no entry for key "Foo"',
    ],
    ['{{.M.b}}', data, 'template: prompt:1:4: executing "prompt" at <.M.b>: map has no entry for key "b"'],
    [
      '{{.Foo}}',
      null,
      'template: prompt:1:2: executing "prompt" at <.Foo>: nil data; no entry for key "Foo"',
    ],
    [
      '{{$x := .N}}{{$x.Foo}}',
      data,
      'template: prompt:1:16: executing "prompt" at <$x.Foo>: nil data; no entry for key "Foo"',
    ],
    ['a\nb {{.X}}', {}, 'template: prompt:2:4: executing "prompt" at <.X>: map has no entry for key "X"'],
    ['é{{.X}}', {}, 'template: prompt:1:4: executing "prompt" at <.X>: map has no entry for key "X"'],
    [
      '{{range .}}{{.A}}{{end}}',
      [{ A: 1 }, {}],
      'template: prompt:1:13: executing "prompt" at <.A>: map has no entry for key "A"',
    ],
    // Go blames the last node it evaluated, here the last argument of index.
    [
      '{{(index .M "n").x}}',
      { M: { n: null } },
      'template: prompt:1:12: executing "prompt" at <"n">: nil data; no entry for key "x"',
    ],
  ])('missingkey=error: %j', (template, input, message) => {
    expect(failure(template, input, { missingKey: 'error' }).message).toBe(message);
  });

  it.each<ExecCase>([
    [
      '{{.M.n.x}}',
      data,
      'template: prompt:1:4: executing "prompt" at <.M.n.x>: nil pointer evaluating interface {}.x',
    ],
    [
      '{{.S.Len}}',
      data,
      'template: prompt:1:4: executing "prompt" at <.S.Len>: can\'t evaluate field Len in type string',
    ],
    [
      '{{.Foo}}',
      'str',
      'template: prompt:1:2: executing "prompt" at <.Foo>: can\'t evaluate field Foo in type string',
    ],
    [
      '{{.Foo}}',
      1,
      'template: prompt:1:2: executing "prompt" at <.Foo>: can\'t evaluate field Foo in type int',
    ],
    [
      '{{.Foo}}',
      1.5,
      'template: prompt:1:2: executing "prompt" at <.Foo>: can\'t evaluate field Foo in type float64',
    ],
    [
      '{{.Foo}}',
      [],
      'template: prompt:1:2: executing "prompt" at <.Foo>: can\'t evaluate field Foo in type []interface {}',
    ],
    [
      '{{range .L}}{{.X}}{{end}}',
      data,
      'template: prompt:1:14: executing "prompt" at <.X>: can\'t evaluate field X in type int',
    ],
    [
      '{{.M.a 1}}',
      data,
      'template: prompt:1:4: executing "prompt" at <.M.a>: a is not a method but has arguments',
    ],
    [
      '{{1 | .M.a}}',
      data,
      'template: prompt:1:8: executing "prompt" at <.M.a>: a is not a method but has arguments',
    ],
    [
      '{{index .L 5}}',
      data,
      'template: prompt:1:2: executing "prompt" at <index .L 5>: error calling index: index out of range: 5',
    ],
    [
      '{{index .L 3}}',
      data,
      'template: prompt:1:2: executing "prompt" at <index .L 3>: error calling index: reflect: slice index out of range',
    ],
    [
      '{{index .L -1}}',
      data,
      'template: prompt:1:2: executing "prompt" at <index .L -1>: error calling index: index out of range: -1',
    ],
    [
      '{{index .L "a"}}',
      data,
      'template: prompt:1:2: executing "prompt" at <index .L "a">: error calling index: cannot index slice/array with type string',
    ],
    [
      '{{index .L nil}}',
      data,
      'template: prompt:1:2: executing "prompt" at <index .L nil>: error calling index: cannot index slice/array with nil',
    ],
    [
      '{{index .M 1}}',
      data,
      'template: prompt:1:2: executing "prompt" at <index .M 1>: error calling index: value has type int; should be string',
    ],
    [
      '{{index .S 3}}',
      data,
      'template: prompt:1:2: executing "prompt" at <index .S 3>: error calling index: reflect: string index out of range',
    ],
    [
      '{{index 1 1}}',
      data,
      'template: prompt:1:2: executing "prompt" at <index 1 1>: error calling index: can\'t index item of type int',
    ],
    [
      '{{index nil 1}}',
      data,
      'template: prompt:1:2: executing "prompt" at <index nil 1>: error calling index: index of untyped nil',
    ],
    [
      '{{index .M "n" "x"}}',
      data,
      'template: prompt:1:2: executing "prompt" at <index .M "n" "x">: error calling index: index of nil pointer',
    ],
    [
      '{{len 3}}',
      data,
      'template: prompt:1:2: executing "prompt" at <len 3>: error calling len: len of type int',
    ],
    [
      '{{len .N}}',
      data,
      'template: prompt:1:2: executing "prompt" at <len .N>: error calling len: len of nil pointer',
    ],
    [
      '{{len .Missing}}',
      data,
      'template: prompt:1:2: executing "prompt" at <len .Missing>: error calling len: reflect: call of reflect.Value.Type on zero Value',
    ],
    [
      '{{slice .L 2 1}}',
      data,
      'template: prompt:1:2: executing "prompt" at <slice .L 2 1>: error calling slice: invalid slice index: 2 > 1',
    ],
    [
      '{{slice .L 0 4}}',
      data,
      'template: prompt:1:2: executing "prompt" at <slice .L 0 4>: error calling slice: index out of range: 4',
    ],
    [
      '{{slice .L 0 2 1}}',
      data,
      'template: prompt:1:2: executing "prompt" at <slice .L 0 2 1>: error calling slice: invalid slice index: 2 > 1',
    ],
    [
      '{{slice .S 0 1 2}}',
      data,
      'template: prompt:1:2: executing "prompt" at <slice .S 0 1 2>: error calling slice: cannot 3-index slice a string',
    ],
    [
      '{{slice 1}}',
      data,
      'template: prompt:1:2: executing "prompt" at <slice 1>: error calling slice: can\'t slice item of type int',
    ],
    [
      '{{template "nope"}}',
      data,
      'template: prompt:1:11: executing "prompt" at <{{template "nope"}}>: template "nope" not defined',
    ],
    [
      '{{range 1.5}}{{end}}',
      data,
      'template: prompt:1:8: executing "prompt" at <1.5>: range can\'t iterate over 1.5',
    ],
    [
      '{{range .S}}{{end}}',
      data,
      'template: prompt:1:8: executing "prompt" at <.S>: range can\'t iterate over str',
    ],
    [
      '{{range $i, $e := 3}}{{end}}',
      data,
      'template: prompt:1:18: executing "prompt" at <3>: can\'t use 3 to iterate over more than one variable',
    ],
    [
      '{{.F}}',
      data,
      'template: prompt:1:2: executing "prompt" at <{{.F}}>: can\'t print {{.F}} of type func(...interface {}) interface {}',
    ],
    ['{{nil}}', data, 'template: prompt:1:2: executing "prompt" at <nil>: nil is not a command'],
    [
      '{{"a" 1}}',
      data,
      'template: prompt:1:2: executing "prompt" at <"a">: can\'t give argument to non-function "a"',
    ],
    [
      '{{$x := 1}}{{$x 2}}',
      data,
      'template: prompt:1:13: executing "prompt" at <$x>: can\'t give argument to non-function $x',
    ],
    [
      '{{18446744073709551615}}',
      data,
      'template: prompt:1:2: executing "prompt" at <18446744073709551615>: 18446744073709551615 overflows int',
    ],
    ['{{$x = 1}}', data, 'template: prompt:1:7: executing "prompt" at <1>: undefined variable: $x'],
    [
      '{{not}}',
      data,
      'template: prompt:1:2: executing "prompt" at <not>: wrong number of args for not: want 1 got 0',
    ],
    [
      '{{not 1 2}}',
      data,
      'template: prompt:1:2: executing "prompt" at <not>: wrong number of args for not: want 1 got 2',
    ],
    [
      '{{1 | not 2}}',
      data,
      'template: prompt:1:6: executing "prompt" at <not>: wrong number of args for not: want 1 got 2',
    ],
    [
      '{{index}}',
      data,
      'template: prompt:1:2: executing "prompt" at <index>: wrong number of args for index: want at least 1 got 0',
    ],
    [
      '{{and}}',
      data,
      'template: prompt:1:2: executing "prompt" at <and>: wrong number of args for and: want at least 1 got 0',
    ],
    [
      '{{eq 1}}',
      data,
      'template: prompt:1:2: executing "prompt" at <eq 1>: error calling eq: missing argument for comparison',
    ],
    ['{{printf 1}}', data, 'template: prompt:1:9: executing "prompt" at <1>: expected string; found 1'],
    [
      '{{printf .L}}',
      data,
      'template: prompt:1:9: executing "prompt" at <.L>: wrong type for value; expected string; got []interface {}',
    ],
    [
      '{{printf .Missing}}',
      data,
      'template: prompt:1:9: executing "prompt" at <.Missing>: invalid value; expected string',
    ],
    [
      '{{printf nil}}',
      data,
      'template: prompt:1:9: executing "prompt" at <nil>: cannot assign nil to string',
    ],
    [
      '{{call .S}}',
      data,
      'template: prompt:1:2: executing "prompt" at <call .S>: error calling call: non-function .S of type string',
    ],
    [
      '{{call .N}}',
      data,
      'template: prompt:1:2: executing "prompt" at <call .N>: error calling call: call of nil',
    ],
    [
      '{{lt 1 "a"}}',
      data,
      'template: prompt:1:2: executing "prompt" at <lt 1 "a">: error calling lt: incompatible types for comparison: int and string',
    ],
    [
      '{{eq 1.5 "a"}}',
      data,
      'template: prompt:1:2: executing "prompt" at <eq 1.5 "a">: error calling eq: incompatible types for comparison: float64 and string',
    ],
    [
      '{{lt true false}}',
      data,
      'template: prompt:1:2: executing "prompt" at <lt true false>: error calling lt: invalid type for comparison',
    ],
    [
      '{{lt nil 1}}',
      data,
      'template: prompt:1:2: executing "prompt" at <lt nil 1>: error calling lt: invalid type for comparison',
    ],
    [
      '{{gt .L 1}}',
      data,
      'template: prompt:1:2: executing "prompt" at <gt .L 1>: error calling gt: invalid type for comparison',
    ],
    [
      '{{eq .L .L}}',
      data,
      'template: prompt:1:2: executing "prompt" at <eq .L .L>: error calling eq: non-comparable type [1 2 3]: []interface {}',
    ],
    [
      '{{eq .L .M}}',
      data,
      'template: prompt:1:2: executing "prompt" at <eq .L .M>: error calling eq: non-comparable types [1 2 3]: []interface {}, map[string]interface {}: map[a:1 n:<nil>]',
    ],
    [
      '{{eq .M "a"}}',
      data,
      'template: prompt:1:2: executing "prompt" at <eq .M "a">: error calling eq: incompatible types for comparison: map[string]interface {} and string',
    ],
    [
      '{{if .L}}{{.L.x}}{{end}}',
      data,
      'template: prompt:1:13: executing "prompt" at <.L.x>: can\'t evaluate field x in type []interface {}',
    ],
  ])('%j', (template, input, message) => {
    expect(failure(template, input).message).toBe(message);
  });

  it('sets the position and template name', () => {
    const error = failure('{{define "T"}}\n  {{.X}}{{end}}{{template "T" .}}', {}, { missingKey: 'error' });
    expect(error.message).toBe('template: prompt:2:4: executing "T" at <.X>: map has no entry for key "X"');
    expect([error.templateName, error.line, error.column]).toEqual(['T', 2, 5]);
  });

  it('counts columns in UTF-16 units, while Go counts bytes', () => {
    const error = failure('é😀{{.X}}', {}, { missingKey: 'error' });
    expect(error.message).toBe(
      'template: prompt:1:8: executing "prompt" at <.X>: map has no entry for key "X"',
    );
    expect([error.line, error.column]).toEqual([1, 6]);
  });

  it('wraps errors thrown by functions, keeping them as the cause', () => {
    const kaboom = new Error('kaboom');
    const funcs = {
      boom: () => {
        throw kaboom;
      },
    };
    const error = failure('x {{boom}}', {}, { funcs });
    expect(error.message).toBe(
      'template: prompt:1:4: executing "prompt" at <boom>: error calling boom: kaboom',
    );
    expect(error.cause).toBe(kaboom);
    const called = failure('{{call .F}}', {
      F: () => {
        throw 'not an Error';
      },
    });
    expect(called.message).toBe(
      'template: prompt:1:2: executing "prompt" at <call .F>: error calling call: not an Error',
    );
  });

  it('stops runaway template recursion', () => {
    const error = failure('{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}');
    expect(error.message).toBe(
      'template: prompt:1:25: executing "r" at <{{template "r" .}}>: exceeded maximum template depth (1000)',
    );
    expect(error.templateName).toBe('r');
  });

  it('stops evaluating at the first error', () => {
    let calls = 0;
    const funcs = { count: () => ++calls };
    expect(() => renderTemplate('{{count}}{{.X}}{{count}}', {}, { funcs, missingKey: 'error' })).toThrow(
      TemplateError,
    );
    expect(calls).toBe(1);
  });
});
