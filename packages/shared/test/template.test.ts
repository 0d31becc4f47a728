import { describe, expect, it } from 'vitest';
import { parseTemplate, type RenderOptions, renderTemplate } from '../src/template/index.js';

// Expected outputs are what Go's text/template prints for the same template and data
// (JS objects standing in for map[string]interface{}, arrays for []interface{}).

type Case = readonly [template: string, data: unknown, expected: string];

const render = (template: string, data: unknown, options: RenderOptions = {}): string =>
  renderTemplate(template, data, { name: 'prompt', ...options });

const check = (cases: readonly Case[], options?: RenderOptions) =>
  it.each(cases)('%j', (template, data, expected) => {
    expect(render(template, data, options)).toBe(expected);
  });

const deps = {
  Deps: {
    a: { Name: 'a', Results: { branch: 'kelos/a', commit: 'abc' }, Outputs: ['x'] },
    'task-a': { Name: 'task-a', Results: {}, Outputs: ['x', 'y'] },
  },
};
const issue = { Kind: 'Issue', Number: 42, Title: 'Flaky test', Body: 'It fails.\nSometimes.' };

describe('Kelos templates', () => {
  check(
    [
      ['{{ index .Deps "a" "Results" "branch" }}', deps, 'kelos/a'],
      ['{{ index .Deps "task-a" "Outputs" }}', deps, '[x y]'],
      ['kelos-task-{{.Number}}', issue, 'kelos-task-42'],
      [
        'Fix issue #{{.Number}}: {{.Title}}\n{{.Body}}',
        issue,
        'Fix issue #42: Flaky test\nIt fails.\nSometimes.',
      ],
      ['{{.Kind}} #{{.Number}}: {{.Title}}', issue, 'Issue #42: Flaky test'],
      ['{{range $name, $dep := .Deps}}{{$name}}={{$dep.Name}};{{end}}', deps, 'a=a;task-a=task-a;'],
      ['{{with index .Deps "a"}}{{.Results.commit}}{{end}}', deps, 'abc'],
    ],
    { missingKey: 'error' },
  );
});

describe('text and printing', () => {
  check([
    ['', {}, ''],
    ['plain text, no actions', {}, 'plain text, no actions'],
    ['a {{"b"}} c', {}, 'a b c'],
    ['{ { not an action } }', {}, '{ { not an action } }'],
    ['{{.}}', 'str', 'str'],
    ['{{.}}', 42, '42'],
    ['{{.}}', -7, '-7'],
    ['{{.}}', 1.5, '1.5'],
    ['{{.}}', 0.1, '0.1'],
    ['{{.}}', 1e21, '1e+21'],
    ['{{.}}', 1e20, '1e+20'],
    ['{{.}}', 1234567.5, '1.2345675e+06'],
    ['{{.}}', 0.000012345, '1.2345e-05'],
    ['{{.}}', 2 ** 53, '9007199254740992'],
    ['{{.}}', Number.NaN, 'NaN'],
    ['{{.}}', Number.POSITIVE_INFINITY, '+Inf'],
    ['{{.}}', true, 'true'],
    ['{{.}}', null, '<no value>'],
    ['{{.}}', undefined, '<no value>'],
    ['{{.}}', [1, 'a', true], '[1 a true]'],
    ['{{.}}', [], '[]'],
    ['{{.}}', { b: 2, a: 1, c: undefined }, 'map[a:1 b:2]'],
    ['{{.}}', [[1, 2], { k: null }, null], '[[1 2] map[k:<nil>] <nil>]'],
    ['{{.}}', { B: 'x', a: 'y', _: 'z' }, 'map[B:x _:z a:y]'],
    ['{{.A.B.C}}', { A: { B: { C: 'deep' } } }, 'deep'],
    ['{{.Nil}}', { Nil: null }, '<no value>'],
    ['{{print .Nil}}', { Nil: null }, '<nil>'],
    ['{{.Missing}}', {}, '<no value>'],
    ['{{.Missing.Deeper}}', {}, '<no value>'],
    ['{{print .Missing}}', {}, '<nil>'],
    ['{{.Missing | print}}', {}, '<nil>'],
    ['{{html .Missing}}', {}, '&lt;no value&gt;'],
    ['{{index .M "nope"}}', { M: {} }, '<no value>'],
    ['{{(index .M "nil").x}}', { M: { nil: null } }, '<no value>'],
  ]);
});

describe('literals', () => {
  check([
    ['{{"a\\tb\\u00e9\\x41"}}', {}, 'a\tbéA'],
    ['{{"\\xe2\\x82\\xac \\101"}}', {}, '€ A'],
    ['{{`raw\\n{{x}}`}}', {}, 'raw\\n{{x}}'],
    ['{{"quote \\" inside"}}', {}, 'quote " inside'],
    ["{{'a'}}", {}, '97'],
    ["{{'\\n'}}", {}, '10'],
    ['{{printf "%c" \'€\'}}', {}, '€'],
    ['{{0x1F}} {{0X1f}} {{0o17}} {{017}} {{0b101}} {{1_000}}', {}, '31 31 15 15 5 1000'],
    ['{{1.5e3}} {{-2.5}} {{.5}} {{1e21}} {{0.000001}}', {}, '1500 -2.5 0.5 1e+21 1e-06'],
    ['{{0x1p-2}}', {}, '0.25'],
    ['{{-0}} {{+5}}', {}, '0 5'],
    ['{{true}} {{false}}', {}, 'true false'],
    ['{{print nil}}', {}, '<nil>'],
  ]);
});

describe('variables', () => {
  const data = { L: ['a', 'b'], M: { y: 2, x: 1 }, A: { B: 'ab' }, B: 'root-b' };
  check([
    ['{{$x := 1}}{{$x}}', data, '1'],
    ['{{$x := "a"}}{{$x = "b"}}{{$x}}', data, 'b'],
    ['{{$}}', 'root', 'root'],
    ['{{with .A}}{{.B}} {{$.B}}{{end}}', data, 'ab root-b'],
    ['{{$x := .A}}{{$x.B}}', data, 'ab'],
    ['{{$x := .}}{{$x.A.B}}', data, 'ab'],
    ['{{range $i, $e := .L}}{{$i}}={{$e}} {{end}}', data, '0=a 1=b '],
    ['{{range $e := .L}}{{$e}}{{end}}', data, 'ab'],
    ['{{range $k, $v := .M}}{{$k}}:{{$v}},{{end}}', data, 'x:1,y:2,'],
    ['{{$x := 0}}{{range .L}}{{$x = .}}{{end}}{{$x}}', data, 'b'],
    ['{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}', data, '21'],
    ['{{$x := 1}}{{with $y := 2}}{{$x}}{{$y}}{{end}}', data, '12'],
    ['{{$i := 9}}{{$e := "z"}}{{range $i, $e = .L}}{{end}}{{$i}}{{$e}}', data, '1b'],
    [
      '{{range $i, $e := .L}}{{range $j, $f := $.L}}{{$i}}{{$j}}{{$f}} {{end}}{{end}}',
      data,
      '00a 01b 10a 11b ',
    ],
    ['{{$x := "unprinted"}}', data, ''],
  ]);
});

describe('pipelines', () => {
  const data = { L: ['a', 'b'], M: { a: { B: 'field' } }, S: 'hello' };
  check([
    ['{{"hello" | printf "%s!"}}', data, 'hello!'],
    ['{{.L | len}}', data, '2'],
    ['{{"a" | printf "%s-%s" "b"}}', data, 'b-a'],
    ['{{1 | printf "%d %d" 2}}', data, '2 1'],
    ['{{.S | printf "%q" | printf "%s."}}', data, '"hello".'],
    ['{{(index .M "a").B}}', data, 'field'],
    ['{{(len .L)}}', data, '2'],
    ['{{printf "%d-%s" (len .L) (index .L 1)}}', data, '2-b'],
    ['{{(.M).a.B}}', data, 'field'],
    ['{{if (eq (len .L) 2)}}two{{end}}', data, 'two'],
    ['{{$n := len .L}}{{$n}}', data, '2'],
  ]);
});

describe('conditionals and truth', () => {
  const truth: Case[] = [
    [false, 'F'],
    [true, 'T'],
    [0, 'F'],
    [1, 'T'],
    [-0.5, 'T'],
    ['', 'F'],
    ['x', 'T'],
    [[], 'F'],
    [[0], 'T'],
    [{}, 'F'],
    [{ a: undefined }, 'F'],
    [{ a: 1 }, 'T'],
    [null, 'F'],
    [() => 1, 'T'],
  ].map(([value, expected]) => ['{{if .V}}T{{else}}F{{end}}', { V: value }, expected as string] as const);
  check(truth);
  check([
    ['{{if .A}}a{{else if .B}}b{{else}}c{{end}}', { A: 0, B: 1 }, 'b'],
    ['{{if .A}}a{{else if .B}}b{{else}}c{{end}}', { A: 0, B: 0 }, 'c'],
    ['{{if .A}}a{{else if .B}}b{{else if .C}}c{{end}}', { C: 1 }, 'c'],
    ['{{with .A}}[{{.}}]{{else}}none{{end}}', { A: 'x' }, '[x]'],
    ['{{with .A}}[{{.}}]{{else}}none{{end}}', { A: '' }, 'none'],
    ['{{with .A}}a{{else with .B}}b={{.}}{{else}}c{{end}}', { B: 'y' }, 'b=y'],
    ['{{with .A}}a{{else with .B}}b{{else}}c{{end}}', {}, 'c'],
    ['{{and 1 0 2}} {{and 1 2}} {{or 0 "" "x"}} [{{or 0 ""}}]', {}, '0 2 x []'],
    ['{{and false (index .L 99)}} {{or true (index .L 99)}}', { L: [] }, 'false true'],
    ['{{if and .A (not .B)}}yes{{end}}', { A: 1, B: 0 }, 'yes'],
    ['{{.A | and 1}} {{.A | or 0}}', { A: 'piped' }, 'piped piped'],
    ['{{not 0}} {{not "x"}} {{not .Missing}}', {}, 'true false true'],
  ]);
});

describe('range', () => {
  const data = { L: [1, 2, 3, 4], M: { b: 2, a: 1 }, E: [], N: null };
  check([
    ['{{range .L}}{{.}}{{end}}', data, '1234'],
    ['{{range .M}}{{.}}{{end}}', data, '12'],
    ['{{range .E}}x{{else}}empty{{end}}', data, 'empty'],
    ['{{range .N}}x{{else}}nil{{end}}', data, 'nil'],
    ['{{range .Missing}}x{{else}}missing{{end}}', data, 'missing'],
    ['{{range 3}}{{.}}{{end}}', data, '012'],
    ['{{range $i := 3}}{{$i}}{{end}}', data, '012'],
    ['{{range 0}}x{{else}}none{{end}}', data, 'none'],
    ['{{range .L}}{{if eq . 3}}{{break}}{{end}}{{.}}{{end}}', data, '12'],
    ['{{range .L}}{{if eq . 3}}{{continue}}{{end}}{{.}}{{end}}', data, '124'],
    ['{{range .L}}{{with .}}{{if gt . 2}}{{break}}{{end}}{{end}}{{.}}{{end}}', data, '12'],
    ['{{range $x := .L}}{{range $.M}}{{if eq . 2}}{{break}}{{end}}{{$x}}{{end}}{{end}}', data, '1234'],
    ['{{range .L}}{{break}}{{else}}never{{end}}', data, ''],
    ['{{range .}}{{.}}{{end}}', [null, 'x'], '<no value>x'],
    ['{{range .}}[{{.A}}]{{end}}', [{ A: 1 }, { B: 2 }], '[1][<no value>]'],
  ]);
});

describe('trim markers and comments', () => {
  check([
    ['a  {{- "b" -}}  c', {}, 'abc'],
    ['a\n\n\t{{- "b"}}\n', {}, 'ab\n'],
    ['{{"a" -}}\r\n\t b', {}, 'ab'],
    ['x  {{- /* comment */ -}}  y', {}, 'xy'],
    ['x {{/* comment */}} y', {}, 'x  y'],
    ['{{/* multi\nline\ncomment */}}z', {}, 'z'],
    ['{{-3}}', {}, '-3'],
    ['{{3 -}} x', {}, '3x'],
    ['a {{- 3}}', {}, 'a3'],
    ['{{- .}}', 'only', 'only'],
    ['{{range .}}\n  {{- .}}\n{{- end}}', [1, 2], '12'],
    [
      '<ul>\n{{- range .}}\n  <li>{{.}}</li>\n{{- end}}\n</ul>',
      ['a', 'b'],
      '<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>',
    ],
    ['{{if true -}}   \n   yes   {{- end}}', {}, 'yes'],
  ]);
});

describe('define, template and block', () => {
  check([
    ['{{define "T"}}[{{.}}]{{end}}{{template "T" "x"}}', {}, '[x]'],
    ['{{define "T"}}[{{.}}]{{end}}{{template "T"}}', 'ignored', '[<no value>]'],
    ['{{template "T" .A}}{{define "T"}}{{.B}}{{end}}', { A: { B: 'b' } }, 'b'],
    [
      '{{define "T"}}{{$.Name}}{{end}}{{range .}}{{template "T" .}}{{end}}',
      [{ Name: 'a' }, { Name: 'b' }],
      'ab',
    ],
    ['{{block "B" .}}default {{.}}{{end}}', 'd', 'default d'],
    ['{{define "T"}}x{{end}}   \n', {}, '   \n'],
    [
      '{{define "R"}}{{if .}}{{index . 0}}{{template "R" (slice . 1)}}{{end}}{{end}}{{template "R" .}}',
      [1, 2, 3],
      '123',
    ],
    ['{{define "a"}}A{{end}}{{define "b"}}{{template "a"}}B{{end}}{{template "b"}}', {}, 'AB'],
  ]);

  it('runs the main template even when the source only defines templates', () => {
    expect(render('{{define "T"}}x{{end}}', {})).toBe('');
  });
});

describe('builtin functions', () => {
  const data = {
    L: ['a', 'b', 'c'],
    M: { a: 1, b: { c: 'deep' } },
    N: [
      [1, 2],
      [3, 4],
    ],
    S: 'héllo',
  };
  check([
    ['{{len .S}} {{len .L}} {{len .M}} {{len ""}}', data, '6 3 2 0'],
    [
      '{{index "abc" 1}} {{index .L 0}} {{index .M "a"}} {{index .M "b" "c"}} {{index .N 1 0}}',
      data,
      '98 a 1 deep 3',
    ],
    ['{{index .L}}', data, '[a b c]'],
    [
      '{{slice "hello" 1 3}} {{slice .L 1}} {{slice .L 1 2}} {{slice .L}} {{slice .L 0 1 2}}',
      data,
      'el [b c] [b] [a b c] [a]',
    ],
    ['{{slice .S 1 3}}', data, 'é'],
    ['{{print "a" 1 2 "b" true}}', data, 'a1 2btrue'],
    ['{{print}}|{{println}}|{{println 1 "a"}}', data, '|\n|1 a\n'],
    ['{{printf "%s=%d" "n" 5}}', data, 'n=5'],
    ['{{html `<a href="x">&\'`}}', data, '&lt;a href=&#34;x&#34;&gt;&amp;&#39;'],
    ['{{html 1 "a" 2}}', data, '1a2'],
    [
      '{{js `"it\'s" <b> & a=b \\ \n`}}',
      data,
      '\\"it\\\'s\\" \\u003Cb\\u003E \\u0026 a\\u003Db \\\\ \\u000A',
    ],
    ['{{js "é\u2028"}}', data, 'é\\u2028'],
    ['{{urlquery "a b&c=d/é~_.-"}}', data, 'a+b%26c%3Dd%2F%C3%A9~_.-'],
    [
      '{{eq 1 1}} {{eq 1 2}} {{eq 1 2 3 1}} {{eq "a" "a"}} {{eq true false}}',
      data,
      'true false true true false',
    ],
    ['{{ne 1 2}} {{ne "a" "a"}}', data, 'true false'],
    [
      '{{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1.5 1.5}} {{lt 1 1.5}} {{gt 2 3}}',
      data,
      'true true true true true false',
    ],
    ['{{lt "Z" "a"}} {{lt "a" "ab"}} {{lt "é" "😀"}} {{lt "\uffff" "😀"}}', data, 'true true true true'],
    [
      '{{eq .Missing nil}} {{eq nil nil}} {{eq 1 nil}} {{eq .L nil}} {{eq .M.a 1}}',
      data,
      'true true false false true',
    ],
    ['{{eq (index .L 0) "a"}}', data, 'true'],
  ]);

  it('calls function values with call', () => {
    const fns = {
      Add: (a: unknown, b: unknown) => Number(a) + Number(b),
      Nothing: () => undefined,
      Args: (...args: unknown[]) => args.map((arg) => (arg === null ? 'nil' : String(arg))).join(),
    };
    expect(render('{{call .Add 1 2}}', fns)).toBe('3');
    expect(render('{{call .Nothing}}', fns)).toBe('<no value>');
    expect(render('{{call .Args nil .Missing "s" 1}}', fns)).toBe('nil,nil,s,1');
    expect(render('{{2 | call .Add 1}}', fns)).toBe('3');
  });
});

describe('custom functions', () => {
  const funcs = {
    upper: (s: unknown) => String(s).toUpperCase(),
    join: (sep: unknown, list: unknown) => (list as unknown[]).join(String(sep)),
    len: () => 'overridden',
    nothing: () => null,
  };
  check(
    [
      ['{{upper .}}', 'abc', 'ABC'],
      ['{{. | upper}}', 'abc', 'ABC'],
      ['{{join ", " .}}', ['a', 'b'], 'a, b'],
      ['{{. | join "-"}}', ['a', 'b'], 'a-b'],
      ['{{len .}}', 'abc', 'overridden'],
      ['{{nothing}}', {}, '<no value>'],
      ['{{if nothing}}t{{else}}f{{end}}', {}, 'f'],
    ],
    { funcs },
  );

  it('makes break and continue ordinary names when functions use them', () => {
    expect(render('{{break}}', {}, { funcs: { break: () => 'b' } })).toBe('b');
  });

  it('keeps parse-time functions and lets execute add or replace them', () => {
    const template = parseTemplate('{{hi .}}', 'prompt', { funcs: { hi: (s: unknown) => `hi ${s}` } });
    expect(template.name).toBe('prompt');
    expect(template.execute('bob')).toBe('hi bob');
    expect(template.execute('bob', { funcs: { hi: (s: unknown) => `yo ${s}` } })).toBe('yo bob');
  });
});

describe('missingkey option', () => {
  const template = parseTemplate('[{{.A}}] [{{.B.C}}] [{{index . "A"}}]', 'prompt');
  it.each([
    ['default', { B: {} }, '[<no value>] [<no value>] [<no value>]'],
    ['zero', { B: {} }, '[<no value>] [<no value>] [<no value>]'],
    ['default', {}, '[<no value>] [<no value>] [<no value>]'],
  ] as const)('%s with %j', (missingKey, data, expected) => {
    expect(template.execute(data, { missingKey })).toBe(expected);
  });

  it('defaults to Go\'s "default"', () => {
    expect(template.execute({})).toBe('[<no value>] [<no value>] [<no value>]');
  });

  it('zero makes a missing key nil, so a field of it fails', () => {
    // Go places a chained field access at its first chained field: .C, not .B.
    expect(() => template.execute({}, { missingKey: 'zero' })).toThrow(
      'template: prompt:1:14: executing "prompt" at <.B.C>: nil pointer evaluating interface {}.C',
    );
  });

  it('error fails on the first missing key, but index still gives the zero value', () => {
    expect(() => template.execute({ B: { C: 1 } }, { missingKey: 'error' })).toThrow(
      'template: prompt:1:3: executing "prompt" at <.A>: map has no entry for key "A"',
    );
    expect(renderTemplate('{{index . "A"}}', {}, { missingKey: 'error' })).toBe('<no value>');
  });

  it('parses once and executes many times', () => {
    const t = parseTemplate('{{.N}}');
    expect([1, 2, 3].map((N) => t.execute({ N })).join()).toBe('1,2,3');
  });
});
