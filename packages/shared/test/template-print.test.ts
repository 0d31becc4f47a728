import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../src/template/index.js';

// fmt semantics as seen through print, printf and println; expectations are Go's output.

/** Renders {{printf format arg0 arg1 ...}} with the arguments passed as data. */
function printf(format: string, args: readonly unknown[]): string {
  const data: Record<string, unknown> = { F: format };
  args.forEach((arg, i) => {
    data[`A${i}`] = arg;
  });
  const operands = args.map((_, i) => ` .A${i}`).join('');
  return renderTemplate(`{{printf .F${operands}}}`, data);
}

type Case = readonly [format: string, args: readonly unknown[], expected: string];

const check = (cases: readonly Case[]) =>
  it.each(cases)('printf %j %j', (format, args, expected) => {
    expect(printf(format, args)).toBe(expected);
  });

describe('printf integers', () => {
  check([
    ['%d', [42], '42'],
    ['%5d|', [42], '   42|'],
    ['%-5d|', [42], '42   |'],
    ['%05d', [42], '00042'],
    ['%05d', [-42], '-0042'],
    ['%+d %+d', [5, -5], '+5 -5'],
    ['% d', [5], ' 5'],
    ['%.3d', [7], '007'],
    ['%6.3d|', [7], '   007|'],
    ['%.0d|', [0], '|'],
    ['%x %X %#x %#X', [255, 255, 255, 255], 'ff FF 0xff 0XFF'],
    ['%o %#o %O %b %#b', [8, 8, 8, 5, 5], '10 010 0o10 101 0b101'],
    ['%x', [-255], '-ff'],
    ['%c%c', [72, 0x1f600], 'H😀'],
    ['%q', [65], "'A'"],
    ['%U %#U', [0x1f600, 65], "U+1F600 U+0041 'A'"],
    ['%v', [2 ** 53], '9007199254740992'],
  ]);
});

describe('printf floats', () => {
  check([
    ['%f', [Math.PI], '3.141593'],
    ['%.2f', [Math.PI], '3.14'],
    ['%8.3f|', [Math.PI], '   3.142|'],
    ['%-8.2f|', [Math.PI], '3.14    |'],
    ['%08.3f', [-Math.PI], '-003.142'],
    ['%+.1f', [2], '+2.0'],
    ['%.0f %.0f %.0f %.1f', [0.5, 1.5, 2.5, 0.25], '0 2 2 0.2'],
    ['%.2f %.1f', [1.005, 0.05], '1.00 0.1'],
    ['%.3f', [1e21], '1000000000000000000000.000'],
    ['%e', [1234.5678], '1.234568e+03'],
    ['%E', [0.000123], '1.230000E-04'],
    ['%.2e %e', [0, 1e100], '0.00e+00 1.000000e+100'],
    ['%g %g', [1234.5678, 0.00001234], '1234.5678 1.234e-05'],
    ['%.3g %.3g %.1g', [1234.5678, 1.5, 0.25], '1.23e+03 1.5 0.2'],
    ['%g %g %G', [100000, 1e6, 1e-7], '100000 1e+06 1E-07'],
    ['%v %v %v', [1e-7, -0.5, 123456.5], '1e-07 -0.5 123456.5'],
    ['%6.2f%%', [99.5], ' 99.50%'],
    [
      '%v %f %5.1f|',
      [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
      '+Inf +Inf  -Inf|',
    ],
    ['%f %+f %05.1f', [Number.NaN, Number.NaN, Number.POSITIVE_INFINITY], 'NaN +NaN  +Inf'],
  ]);
});

describe('printf strings and values', () => {
  check([
    ['%s', ['x'], 'x'],
    ['%v', ['x'], 'x'],
    ['%5s|%-5s|%.2s|%5.1s|', ['ab', 'ab', 'abc', 'xyz'], '   ab|ab   |ab|    x|'],
    ['%05s', ['ab'], '000ab'],
    ['%3s|', ['héé'], 'héé|'],
    ['%4s|', ['é'], '   é|'],
    ['%x % x %#x % #x %X', ['hi', 'hi', 'hi', 'hi', 'hi'], '6869 68 69 0x6869 0x68 0x69 6869'],
    ['%x', ['é'], 'c3a9'],
    ['%q', ['a"b\n'], '"a\\"b\\n"'],
    ['%q', ['héllo\t\u0007'], '"héllo\\t\\a"'],
    ['%q', ['\u00a0\u200b😀'], '"\\u00a0\\u200b😀"'],
    ['%+q', ['é'], '"\\u00e9"'],
    ['%#q %#q', ['ab', 'a`b'], '`ab` "a`b"'],
    ['%t %v %5t|', [true, false, true], 'true false  true|'],
    ['100%%', [], '100%'],
    ['%v %v', [[1, 2], { b: 'x', a: 1 }], '[1 2] map[a:1 b:x]'],
    ['%s', [['a', 'b']], '[a b]'],
    ['%3v', [[1, 2]], '[  1   2]'],
    ['%x', [[255, 16]], '[ff 10]'],
    ['%q', [['a', 1]], '["a" \'\\x01\']'],
    [
      '%#v %#v %#v',
      ['a', [1, 'b'], { a: null }],
      '"a" []interface {}{1, "b"} map[string]interface {}{"a":interface {}(nil)}',
    ],
    [
      '%T %T %T %T %T %T %T',
      [1, 1.5, 'a', true, [1], { a: 1 }, null],
      'int float64 string bool []interface {} map[string]interface {} <nil>',
    ],
    ['%v|%s', [null, null], '<nil>|%!s(<nil>)'],
  ]);
});

describe('printf diagnostics', () => {
  check([
    ['%d', ['x'], '%!d(string=x)'],
    ['%s', [1], '%!s(int=1)'],
    ['%d', [1.5], '%!d(float64=1.5)'],
    ['%t', [1], '%!t(int=1)'],
    ['%z', [true], '%!z(bool=true)'],
    ['%d', [null], '%!d(<nil>)'],
    ['%d', [[1, 'a']], '[1 %!d(string=a)]'],
    ['%d', [{ a: 1 }], 'map[%!d(string=a):1]'],
    ['%5d', ['x'], '%!d(string=    x)'],
    ['%d %d', [1], '1 %!d(MISSING)'],
    ['x', [1, 'a', null], 'x%!(EXTRA int=1, string=a, <nil>)'],
    ['%', [], '%!(NOVERB)'],
    ['%-', [], '%!(NOVERB)'],
    ['%[2]d %[1]d', [1, 2], '2 1'],
    ['%[2]d %d', [1, 2, 3], '2 3'],
    ['%[3]d', [1], '%!d(BADINDEX)'],
    ['%[x]d', [1], '%!d(BADINDEX)'],
    ['%*d|%-*d|', [5, 42, 4, 7], '   42|7   |'],
    ['%*d', [-4, 7], '7   '],
    ['%*d', ['x', 7], '%!(BADWIDTH)7'],
    ['%.*f', [2, Math.PI], '3.14'],
    ['%.*d', [-1, 7], '%!(BADPREC)7'],
  ]);
});

describe('print and println', () => {
  const data = { L: [1, 2], N: null };
  it.each([
    ['{{print 1 2}}', '1 2'],
    ['{{print "a" "b"}}', 'ab'],
    ['{{print 1 "a" 2}}', '1a2'],
    ['{{print .N 1}}', '<nil> 1'],
    ['{{print .L .L}}', '[1 2] [1 2]'],
    ['{{println "a" "b"}}', 'a b\n'],
    ['{{println}}', '\n'],
    ['{{print 1.5 true}}', '1.5 true'],
  ])('%s', (template, expected) => {
    expect(renderTemplate(template, data)).toBe(expected);
  });
});
