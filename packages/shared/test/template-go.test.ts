import { describe, expect, it } from 'vitest';
import { renderTemplate, TemplateError } from '../src/template/index.js';

// Cases taken from Go's own text/template tests (exec_test.go), with Go structs replaced by
// the equivalent JS data. Cases that depend on Go types JS cannot express (methods, pointers,
// uint, complex, typed maps) are left out.

const funcs = {
  add: (...args: unknown[]) => args.reduce<number>((sum, n) => sum + Number(n), 0),
  die: () => {
    throw new Error('die');
  },
  echo: (arg: unknown) => arg,
  makemap: (...args: unknown[]) => {
    const m: Record<string, unknown> = {};
    for (let i = 0; i < args.length; i += 2) m[String(args[i])] = args[i + 1];
    return m;
  },
  mapOfThree: () => ({ three: 3 }),
  twoArgs: (a: unknown, b: unknown) => `twoArgs=${a}${b}`,
  zeroArgs: () => 'zeroArgs',
};

const tVal = {
  True: true,
  I: 17,
  U16: 16,
  X: 'x',
  S: 'xyz',
  U: { V: 'v' },
  FloatZero: 0,
  SI: [3, 4, 5],
  AI: [3, 4, 5],
  PSI: [21, 22, 23],
  SIEmpty: [],
  SB: [true, false],
  MSI: { one: 1, two: 2, three: 3 },
  MSIone: { one: 1 },
  MSIEmpty: {},
  MXI: {},
  SMSI: [
    { one: 1, two: 2 },
    { eleven: 11, twelve: 12 },
  ],
  Empty0: null,
  Empty1: 3,
  Empty2: 'empty2',
  Empty3: [7, 8],
  Empty4: { V: 'UinEmpty' },
  BinaryFunc: (a: unknown, b: unknown) => `[${a}=${b}]`,
  VariadicFunc: (...s: unknown[]) => `<${s.join('+')}>`,
  ErrFunc: () => 'bla',
};

type Case = [name: string, template: string, expected: string, data?: unknown];

const check = (cases: Case[]) =>
  it.each<Case>(cases)('%s: %s', (_: string, template: string, expected: string, data: unknown = tVal) => {
    expect(renderTemplate(template, data, { funcs })).toBe(expected);
  });

const fails = (cases: Case[]) =>
  it.each<Case>(cases)(
    '%s: %s fails',
    (_: string, template: string, message: string, data: unknown = tVal) => {
      expect(() => renderTemplate(template, data, { funcs })).toThrow(message);
    },
  );

describe("Go's exec tests", () => {
  describe('variables and fields', () => {
    check([
      ['$ int', '{{$}}', '123', 123],
      ['$.I', '{{$.I}}', '17'],
      ['$.U.V', '{{$.U.V}}', 'v'],
      ['declare in action', '{{$x := $.U.V}}{{$x}}', 'v'],
      ['simple assignment', '{{$x := 2}}{{$x = 3}}{{$x}}', '3'],
      ['nested assignment', '{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{$x}}', '3'],
      [
        'nested assignment changes the last declaration',
        '{{$x := 1}}{{if true}}{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{end}}{{$x}}',
        '1',
      ],
      ['empty nil', '{{.Empty0}}', '<no value>'],
      ['empty with int', '{{.Empty1}}', '3'],
      ['empty with string', '{{.Empty2}}', 'empty2'],
      ['empty with slice', '{{.Empty3}}', '[7 8]'],
      ['empty with struct, field', '{{.Empty4.V}}', 'UinEmpty'],
      ['field on interface', '{{.foo}}', '<no value>', null],
      ['field on parenthesized interface', '{{(.).foo}}', '<no value>', null],
      ['parenthesized non-function with no args', '{{(1)}}', '1'],
      ['bug10', '{{mapOfThree.three}}-{{(mapOfThree).three}}', '3-3'],
      ['issue56490', '{{$i := 0}}{{$x := 0}}{{range $i = .AI}}{{end}}{{$i}}', '5'],
      ['issue60801', '{{$k := 0}}{{$v := 0}}{{range $k, $v = .AI}}{{$k}}={{$v}} {{end}}', '0=3 1=4 2=5 '],
    ]);
  });

  describe('function calls', () => {
    check([
      ['.BinaryFunc', '{{call .BinaryFunc `1` `2`}}', '[1=2]'],
      ['.VariadicFunc0', '{{call .VariadicFunc}}', '<>'],
      ['.VariadicFunc2', '{{call .VariadicFunc `he` `llo`}}', '<he+llo>'],
      ['if .BinaryFunc call', '{{ if .BinaryFunc}}{{call .BinaryFunc `1` `2`}}{{end}}', '[1=2]'],
      [
        'if not .BinaryFunc call',
        '{{ if not .BinaryFunc}}{{call .BinaryFunc `1` `2`}}{{else}}No{{end}}',
        'No',
      ],
      ['.ErrFunc', '{{call .ErrFunc}}', 'bla'],
      ['empty call after pipe valid', '{{.ErrFunc | call}}', 'bla'],
      ['pipeline func', '-{{call .VariadicFunc `llo` | call .VariadicFunc `he` }}-', '-<he+<llo>>-'],
      ['parens in pipeline', '{{printf `%d %d %d` (1) (2 | add 3) (add 4 (add 5 6))}}', '1 5 15'],
      ['parens: $ in paren', '{{($).X}}', 'x'],
      ['parens: $ in paren in pipe', '{{($ | echo).X}}', 'x'],
      ['parens: spaces and args', '{{(makemap "up" "down" "left" "right").left}}', 'right'],
      ['bug16g', '{{"aaa" |twoArgs "bbb"}}', 'twoArgs=bbbaaa'],
      ['bug16k', '{{"aaa"|printf }}', 'aaa'],
    ]);
    fails([
      ['call nil', '{{call nil}}', 'error calling call: call of nil'],
      ['empty call', '{{call}}', 'wrong number of args for call: want at least 1 got 0'],
      [
        'empty call after pipe invalid',
        '{{1 | call}}',
        'error calling call: non-function <int Value> of type int',
      ],
      ['call non-function', '{{call .True}}', 'error calling call: non-function .True of type bool'],
      ['call pipeline', '{{call (len "test")}}', 'error calling call: non-function len "test" of type int'],
      ['unparenthesized non-function', '{{1 2}}', "can't give argument to non-function 1"],
      ['parenthesized non-function', '{{(1) 2}}', "can't give argument to non-function 1"],
      ['bug7c', '{{$x := 1}}{{3 | $x}}', "can't give argument to non-function $x"],
      ['bug14a', '{{(nil).True}}', 'nil is not a command'],
      ['bug14b', '{{$x := nil}}{{$x.anything}}', 'nil is not a command'],
      ['bug16a', '{{true|printf}}', 'wrong type for value; expected string; got bool'],
      ['bug16b', '{{1|printf}}', 'wrong type for value; expected string; got int'],
      ['bug16c', '{{1.1|printf}}', 'wrong type for value; expected string; got float64'],
      ['bug16d', "{{'x'|printf}}", 'wrong type for value; expected string; got int'],
      ['if nil', '{{if nil}}TRUE{{end}}', 'nil is not a command'],
    ]);

    it('reports a panic during a call like Go', () => {
      const cases = [
        ['{{die}}', 'template: t:1:2: executing "t" at <die>: error calling die: die'],
        ['{{call die}}', 'template: t:1:7: executing "t" at <die>: error calling die: die'],
        ['{{1 | die}}', 'template: t:1:6: executing "t" at <die>: error calling die: die'],
        ['{{call .F}}', 'template: t:1:2: executing "t" at <call .F>: error calling call: test panic'],
      ];
      const F = () => {
        throw new Error('test panic');
      };
      for (const [template = '', message] of cases) {
        expect(() => renderTemplate(template, { F }, { name: 't', funcs })).toThrow(message);
      }
    });
  });

  describe('if, with, and and or', () => {
    check([
      ['if true', '{{if true}}TRUE{{end}}', 'TRUE'],
      ['if false', '{{if false}}TRUE{{else}}FALSE{{end}}', 'FALSE'],
      ['if 1.5', '{{if 1.5}}NON-ZERO{{else}}ZERO{{end}}', 'NON-ZERO'],
      ['if 0.0', '{{if .FloatZero}}NON-ZERO{{else}}ZERO{{end}}', 'ZERO'],
      ['if emptystring', '{{if ``}}NON-EMPTY{{else}}EMPTY{{end}}', 'EMPTY'],
      ['if emptymap', '{{if .MSIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}', 'EMPTY'],
      ['if map unset', '{{if .MXI.none}}NON-ZERO{{else}}ZERO{{end}}', 'ZERO'],
      ['if map not unset', '{{if not .MXI.none}}ZERO{{else}}NON-ZERO{{end}}', 'ZERO'],
      ['if $x with $y int', '{{if $x := true}}{{with $y := .I}}{{$x}},{{$y}}{{end}}{{end}}', 'true,17'],
      ['if $x with $x int', '{{if $x := true}}{{with $x := .I}}{{$x}},{{end}}{{$x}}{{end}}', '17,true'],
      ['if else chain', '{{if eq 1 3}}1{{else if eq 2 3}}2{{else if eq 3 3}}3{{end}}', '3'],
      ['with 1.5', '{{with 1.5}}{{.}}{{else}}ZERO{{end}}', '1.5'],
      ['with map', '{{with .MSIone}}{{.}}{{else}}EMPTY{{end}}', 'map[one:1]'],
      ['with slice', '{{with .SI}}{{.}}{{else}}EMPTY{{end}}', '[3 4 5]'],
      ['with $x struct.U.V', '{{with $x := $}}{{$x.U.V}}{{end}}', 'v'],
      ['with variable and action', '{{with $x := $}}{{$y := $.U.V}}{{$y}}{{end}}', 'v'],
      ['with else with', '{{with 0}}{{.}}{{else with true}}{{.}}{{end}}', 'true'],
      [
        'with else with chain',
        '{{with 0}}{{.}}{{else with false}}{{.}}{{else with `notempty`}}{{.}}{{end}}',
        'notempty',
      ],
      ['and', '{{and false 0}} {{and 1 0}} {{and 0 true}} {{and 1 1}}', 'false 0 0 1'],
      ['or', '{{or 0 0}} {{or 1 0}} {{or 0 true}} {{or 1 1}}', '0 1 true 1'],
      ['or short-circuit', '{{or 0 1 (die)}}', '1'],
      ['and short-circuit', '{{and 1 0 (die)}}', '0'],
      ['and pipe-true', '{{1 | and 1}}', '1'],
      ['and pipe-false', '{{0 | and 1}}', '0'],
      ['or pipe-true', '{{1 | or 0}}', '1'],
      ['or pipe-false', '{{0 | or 0}}', '0'],
      ['and undef', '{{and 1 .Unknown}}', '<no value>', null],
      ['or undef', '{{or 0 .Unknown}}', '<no value>', null],
      ['boolean if', '{{if and true 1 `hi`}}TRUE{{else}}FALSE{{end}}', 'TRUE'],
      ['boolean if not', '{{if and true 1 `hi` | not}}TRUE{{else}}FALSE{{end}}', 'FALSE'],
      ['boolean if pipe', '{{if true | not | and 1}}TRUE{{else}}FALSE{{end}}', 'FALSE'],
      ['or as if true', '{{or .SI "slice is empty"}}', '[3 4 5]'],
      ['or as if false', '{{or .SIEmpty "slice is empty"}}', 'slice is empty'],
    ]);
    fails([
      ['or short-circuit2', '{{or 0 0 (die)}}', 'error calling die: die'],
      ['and short-circuit2', '{{and 1 1 (die)}}', 'error calling die: die'],
    ]);
  });

  describe('printing', () => {
    check([
      ['print 123', '{{print 1 2 3}}', '1 2 3'],
      ['print nil', '{{print nil}}', '<nil>'],
      ['println', '{{println 1 2 3}}', '1 2 3\n'],
      ['printf int', '{{printf "%04x" 127}}', '007f'],
      ['printf float', '{{printf "%g" 3.5}}', '3.5'],
      ['printf function', '{{printf "%#q" zeroArgs}}', '`zeroArgs`'],
      ['printf field', '{{printf "%s" .U.V}}', 'v'],
      ['printf dot', '{{with .I}}{{printf "%d" .}}{{end}}', '17'],
      ['printf var', '{{with $x := .I}}{{printf "%d" $x}}{{end}}', '17'],
      [
        'html',
        '{{html "<script>alert(\\"XSS\\");</script>"}}',
        '&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;',
      ],
      [
        'html pipeline',
        '{{printf "<script>alert(\\"XSS\\");</script>" | html}}',
        '&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;',
      ],
      ['html untyped nil', '{{html .Empty0}}', '&lt;no value&gt;'],
      ['js', '{{js .}}', "It\\'d be nice.", "It'd be nice."],
      ['urlquery', '{{"http://www.example.org/"|urlquery}}', 'http%3A%2F%2Fwww.example.org%2F'],
      ['bug12xe', '{{printf `%T` 0xef}}', 'int'],
      ['bug12XE', '{{printf `%T` 0XEE}}', 'int'],
      ['range 5', '{{range $v := 5}}{{printf "%T%d" $v $v}}{{end}}', 'int0int1int2int3int4'],
    ]);

    it.each([
      ['a', 'a'],
      ["'foo", "\\'foo"],
      ['Go "jump" \\', 'Go \\"jump\\" \\\\'],
      ['Yukihiro says "今日は世界"', 'Yukihiro says \\"今日は世界\\"'],
      ['unprintable \uFFFE', 'unprintable \\uFFFE'],
      ['<html>', '\\u003Chtml\\u003E'],
      ['no = in attributes', 'no \\u003D in attributes'],
      ['&#x27; does not become HTML entity', '\\u0026#x27; does not become HTML entity'],
    ])('js escapes %j', (input, expected) => {
      expect(renderTemplate('{{js .}}', input)).toBe(expected);
    });
  });

  describe('index, slice and len', () => {
    check([
      ['slice[0]', '{{index .SI 0}}', '3'],
      ['slice[1]', '{{index .SI 1}}', '4'],
      ['map[one]', '{{index .MSI `one`}}', '1'],
      ['map[NO]', '{{index .MSI `XXX`}}', '<no value>'],
      ['double index', '{{index .SMSI 1 `eleven`}}', '11'],
      ['index of an interface field', '{{index .Empty3 0}}', '7'],
      ['slice[:]', '{{slice .SI}}', '[3 4 5]'],
      ['slice[1:]', '{{slice .SI 1}}', '[4 5]'],
      ['slice[1:2]', '{{slice .SI 1 2}}', '[4]'],
      ['string[:]', '{{slice .S}}', 'xyz'],
      ['string[0:1]', '{{slice .S 0 1}}', 'x'],
      ['string[1:]', '{{slice .S 1}}', 'yz'],
      ['string[1:2]', '{{slice .S 1 2}}', 'y'],
      ['slice of an interface field', '{{slice .Empty3 0 1}}', '[7]'],
      ['len slice', '{{len .SI}}', '3'],
      ['len map', '{{len .MSI }}', '3'],
      ['len of an interface field', '{{len .Empty3}}', '2'],
      ['eq rune', "{{eq (index `x` 0) 'x'}} {{eq (index `x` 0) 'y'}}", 'true false'],
      ['bug18a', "{{eq . '.'}}", 'true', 46],
    ]);
    fails([
      ['slice[HUGE]', '{{index .SI 10}}', 'index out of range: 10'],
      ['slice[WRONG]', '{{index .SI `hello`}}', 'cannot index slice/array with type string'],
      ['slice[nil]', '{{index .SI nil}}', 'cannot index slice/array with nil'],
      ['map[nil]', '{{index .MSI nil}}', 'value is nil; should be of type string'],
      ['map[WRONG]', '{{index .MSI 10}}', 'value has type int; should be string'],
      ['nil[1]', '{{index nil 1}}', 'index of untyped nil'],
      ['slice[-1:]', '{{slice .SI -1}}', 'index out of range: -1'],
      ['slice[1:-2]', '{{slice .SI 1 -2}}', 'index out of range: -2'],
      ['slice[1:2:-1]', '{{slice .SI 1 2 -1}}', 'index out of range: -1'],
      ['slice[2:1]', '{{slice .SI 2 1}}', 'invalid slice index: 2 > 1'],
      ['slice[2:2:1]', '{{slice .SI 2 2 1}}', 'invalid slice index: 2 > 1'],
      ['out of range', '{{slice .SI 4 5}}', 'index out of range: 4'],
      ['out of range 3', '{{slice .SI 2 2 5}}', 'index out of range: 5'],
      ['string out of range', '{{slice .S 1 5}}', 'index out of range: 5'],
      ['3-index slice of string', '{{slice .S 1 2 2}}', 'cannot 3-index slice a string'],
      ['len of int', '{{len 3}}', 'len of type int'],
      ['len of nothing', '{{len .Empty0}}', 'len of nil pointer'],
    ]);
  });

  describe('range', () => {
    check([
      ['range []int', '{{range .SI}}-{{.}}-{{end}}', '-3--4--5-'],
      ['range empty no else', '{{range .SIEmpty}}-{{.}}-{{end}}', ''],
      ['range []int else', '{{range .SI}}-{{.}}-{{else}}EMPTY{{end}}', '-3--4--5-'],
      ['range empty else', '{{range .SIEmpty}}-{{.}}-{{else}}EMPTY{{end}}', 'EMPTY'],
      ['range []int break else', '{{range .SI}}-{{.}}-{{break}}NOTREACHED{{else}}EMPTY{{end}}', '-3-'],
      [
        'range []int continue else',
        '{{range .SI}}-{{.}}-{{continue}}NOTREACHED{{else}}EMPTY{{end}}',
        '-3--4--5-',
      ],
      ['range []bool', '{{range .SB}}-{{.}}-{{end}}', '-true--false-'],
      ['range map', '{{range .MSI}}-{{.}}-{{end}}', '-1--3--2-'],
      ['range empty map else', '{{range .MSIEmpty}}-{{.}}-{{else}}EMPTY{{end}}', 'EMPTY'],
      ['range empty interface', '{{range .Empty3}}-{{.}}-{{else}}EMPTY{{end}}', '-7--8-'],
      ['range empty nil', '{{range .Empty0}}-{{.}}-{{end}}', ''],
      ['range $x SI', '{{range $x := .SI}}<{{$x}}>{{end}}', '<3><4><5>'],
      ['range $x $y SI', '{{range $x, $y := .SI}}<{{$x}}={{$y}}>{{end}}', '<0=3><1=4><2=5>'],
      ['range $x MSIone', '{{range $x := .MSIone}}<{{$x}}>{{end}}', '<1>'],
      ['range $x $y MSIone', '{{range $x, $y := .MSIone}}<{{$x}}={{$y}}>{{end}}', '<one=1>'],
      ['declare in range', '{{range $x := .PSI}}<{{$foo:=$x}}{{$x}}>{{end}}', '<21><22><23>'],
    ]);
  });

  describe('numbers', () => {
    check([
      ['decimal _', '{{print 12_34}}', '1234'],
      ['binary _', '{{print 0b_1_0_1}}', '5'],
      ['BINARY', '{{print 0B101}}', '5'],
      ['octal0', '{{print 0377}}', '255'],
      ['octal _', '{{print 0o_3_7_7}}', '255'],
      ['OCTAL', '{{print 0O377}}', '255'],
      ['hex _', '{{print 0x1_23}}', '291'],
      ['HEX', '{{print 0X123ABC}}', '1194684'],
      ['float', '{{print 123.4}}', '123.4'],
      ['float _', '{{print 0_0_1_2_3.4}}', '123.4'],
      ['hex float', '{{print +0x1.ep+2}}', '7.5'],
      ['hex float _', '{{print +0x_1.e_0p+0_2}}', '7.5'],
      ['HEX float', '{{print +0X1.EP+2}}', '7.5'],
      ['print multi', '{{print 1_2_3_4 7.5_00_00_00}}', '1234 7.5'],
      ['print multi2', '{{print 1234 0x0_1.e_0p+02}}', '1234 7.5'],
    ]);
  });

  describe('comparisons', () => {
    const cmp = { Three: 3, Four: 4, NegOne: -1, Map: null, NonNilMap: {} };
    it.each([
      ['eq true true', 'true'],
      ['eq true false', 'false'],
      ['eq 1.5 1.5', 'true'],
      ['eq 1.5 2.5', 'false'],
      ['eq `xy` `xyz`', 'false'],
      ['eq 3 4 5 6 3', 'true'],
      ['eq 3 4 5 6 7', 'false'],
      ['ne 1.5 2.5', 'true'],
      ['ne `xy` `xy`', 'false'],
      ['lt 1.5 2.5', 'true'],
      ['lt `xy` `xyz`', 'true'],
      ['le 2.5 1.5', 'false'],
      ['le `xyz` `xy`', 'false'],
      ['gt .Four .Three', 'true'],
      ['gt `xy` `xyz`', 'false'],
      ['ge 1.5 2.5', 'false'],
      ['ge `xyz` `xy`', 'true'],
      ['lt .NegOne .Three', 'true'],
      ['eq .Map .Map', 'true'],
      ['eq .Map nil', 'true'],
      ['eq nil .Map', 'true'],
      ['eq .Map .NonNilMap', 'false'],
    ])('%s', (expr, truth) => {
      expect(renderTemplate(`{{if ${expr}}}true{{else}}false{{end}}`, cmp)).toBe(truth);
    });
    it.each([
      ['eq `xy` 1', 'incompatible types for comparison: string and int'],
      ['lt true true', 'invalid type for comparison'],
      ['eq .NonNilMap .NonNilMap', 'non-comparable type map[]: map[string]interface {}'],
    ])('%s fails', (expr, message) => {
      expect(() => renderTemplate(`{{if ${expr}}}true{{else}}false{{end}}`, cmp)).toThrow(message);
    });
  });

  it('reports an error from a nested template with all the relevant information', () => {
    const source = [
      'line 1',
      'line 2',
      'line 3',
      '{{template "one" .}}',
      '{{define "one"}}{{template "two" .}}{{end}}',
      '{{define "two"}}{{template "three" .}}{{end}}',
      '{{define "three"}}{{index "hi" $}}{{end}}',
    ].join('\n');
    expect(() => renderTemplate(source, 5, { name: 'top' })).toThrow(
      new TemplateError(
        'template: top:7:20: executing "three" at <index "hi" $>: error calling index: index out of range: 5',
        'three',
        7,
        21,
      ),
    );
  });

  it('reports a multiline unterminated string at its opening quote', () => {
    expect(() =>
      renderTemplate('hello\n\n{{`unterminated\n\n\n\n}}\n some more\n\n', {}, { name: 'X' }),
    ).toThrow('template: X:3: unterminated raw quoted string');
  });

  it('reports a field of an int', () => {
    expect(() => renderTemplate('hello, {{.X.Y}}', 0)).toThrow("can't evaluate field X in type int");
  });

  it('runs a block', () => {
    expect(renderTemplate('a({{block "inner" .}}bar({{.}})baz{{end}})b', 'hello')).toBe('a(bar(hello)baz)b');
  });

  it('stops infinite recursion', () => {
    expect(() =>
      renderTemplate('{{define "tmpl"}}{{template "tmpl" .}}{{end}}{{template "tmpl" .}}', null),
    ).toThrow('exceeded maximum template depth');
  });

  it('walks a binary tree with trim markers', () => {
    const leaf = (Val: number) => ({ Val, Left: null, Right: null });
    const node = (Val: number, Left: unknown, Right: unknown = null) => ({ Val, Left, Right });
    const tree = node(
      1,
      node(2, node(3, leaf(4)), node(5, leaf(6))),
      node(7, node(8, leaf(9)), node(10, leaf(11))),
    );
    const treeTemplate = `
	{{- define "tree" -}}
	[
		{{- .Val -}}
		{{- with .Left -}}
			{{template "tree" . -}}
		{{- end -}}
		{{- with .Right -}}
			{{- template "tree" . -}}
		{{- end -}}
	]
	{{- end -}}
{{template "tree" .}}`;
    expect(renderTemplate(treeTemplate, tree)).toBe('[1[2[3[4]][5[6]]][7[8[9]][10[11]]]]');
  });

  it('evaluates interface values', () => {
    const data = {
      PlusOne: (n: unknown) => Number(n) + 1,
      Slice: [0, 1, 2, 3],
      One: 1,
      Two: 2,
      Nil: null,
      Zero: 0,
    };
    const cases = [
      ['{{index .Slice 2}}', '2'],
      ['{{index .Slice .Two}}', '2'],
      ['{{call .PlusOne 1}}', '2'],
      ['{{call .PlusOne .One}}', '2'],
      ['{{and (index .Slice 0) true}}', '0'],
      ['{{and .Zero true}}', '0'],
      ['{{and (index .Slice 1) false}}', 'false'],
      ['{{or (index .Slice 0) false}}', 'false'],
      ['{{or (index .Slice 1) true}}', '1'],
      ['{{not (index .Slice 0)}}', 'true'],
      ['{{not .One}}', 'false'],
      ['{{eq (index .Slice 0) .Zero}}', 'true'],
      ['{{ne (index .Slice 1) .One}}', 'false'],
      ['{{ge (index .Slice 0) .One}}', 'false'],
      ['{{gt (index .Slice 1) .Zero}}', 'true'],
      ['{{le (index .Slice 1) .Zero}}', 'false'],
      ['{{lt (index .Slice 0) .One}}', 'true'],
    ];
    for (const [template = '', expected] of cases) expect(renderTemplate(template, data)).toBe(expected);
    expect(() => renderTemplate('{{index .Nil 1}}', data)).toThrow('index of untyped nil');
    expect(() => renderTemplate('{{call .Nil 1}}', data)).toThrow('call of nil');
  });
});
