import { describe, expect, it } from 'vitest';
import { renderTemplate, TemplateError } from '../src/template/index.js';

const MB = 2 ** 20;

/**
 * Milliseconds fn takes: the lesser of wall time and CPU time, so that neither a busy CI
 * machine (slow wall clock) nor parallel GC threads (extra CPU time) fail the test. Anything
 * worse than linear would still take many seconds on these inputs.
 */
function timed<T>(fn: () => T): { result: T; ms: number } {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const result = fn();
  const { user, system } = process.cpuUsage(cpu);
  return { result, ms: Math.min(performance.now() - wall, (user + system) / 1000) };
}

function failure(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
}

describe('large inputs', () => {
  it('renders 1 MB with tens of thousands of actions well under a second', () => {
    const line =
      'Fix #{{.Number}}: {{.Title}} ({{if .Urgent}}urgent{{else}}normal{{end}}) {{range .Labels}}[{{.}}]{{end}}\n';
    const source = line.repeat(Math.ceil(MB / line.length));
    const data = { Number: 7, Title: 'Flaky', Urgent: true, Labels: ['bug', 'ci'] };
    const { result, ms } = timed(() => renderTemplate(source, data, { missingKey: 'error' }));
    expect(source.length).toBeGreaterThanOrEqual(MB);
    expect(result).toBe('Fix #7: Flaky (urgent) [bug][ci]\n'.repeat(Math.ceil(MB / line.length)));
    expect(ms).toBeLessThan(1000);
  });

  it('renders 1 MB of dense trimmed actions', () => {
    const { result, ms } = timed(() => renderTemplate('{{- .}}\n'.repeat(MB / 8), 'x'));
    expect(result).toBe(`${'x'.repeat(MB / 8)}\n`);
    expect(ms).toBeLessThan(1000);
  });

  it.each([
    ['plain text', 'x'.repeat(MB), 'x'.repeat(MB)],
    ['trimmed whitespace', `${' \n'.repeat(MB / 2)}{{- "x" -}}${'\t\r\n'.repeat(MB / 3)}`, 'x'],
    ['a string literal', `{{"${'a'.repeat(MB)}"}}`, 'a'.repeat(MB)],
    ['a raw string', `{{\`${'a\n'.repeat(MB / 2)}\`}}`, 'a\n'.repeat(MB / 2)],
    ['a comment', `a{{/*${' '.repeat(MB)}*/}}b`, 'ab'],
    ['a long variable chain', `{{$x := 1}}${'{{$x = $x}}'.repeat(MB / 11)}{{$x}}`, '1'],
  ])('handles 1 MB of %s', (_, source, expected) => {
    const { result, ms } = timed(() => renderTemplate(source, {}));
    expect(result).toBe(expected);
    expect(ms).toBeLessThan(1000);
  });

  const lines = MB / 8;
  it.each([
    [
      'an unclosed action at the end',
      `${'a line\n'.repeat(lines)}{{.X`,
      `template: t:${lines + 1}: unclosed action`,
    ],
    [
      'an unterminated string',
      `${'{{.X}}\n'.repeat(lines)}{{"abc`,
      `template: t:${lines + 1}: unterminated quoted string`,
    ],
    ['a run of left delimiters', '{{'.repeat(MB / 2), 'template: t:1: unexpected "{" in command'],
    ['an unclosed comment', `{{/*${'*'.repeat(MB)}`, 'template: t:1: unclosed comment'],
  ])('reports %s of 1 MB quickly', (_, source, message) => {
    const { result, ms } = timed(() => failure(() => renderTemplate(source, { X: 1 }, { name: 't' })));
    expect(result.message).toBe(message);
    expect(ms).toBeLessThan(1000);
  });
});

describe('deep nesting', () => {
  it('parses and runs 1000 nested parentheses and control actions', () => {
    expect(renderTemplate(`{{${'('.repeat(1000)}1${')'.repeat(1000)}}}`, {})).toBe('1');
    expect(renderTemplate(`${'{{if 1}}'.repeat(1000)}x${'{{end}}'.repeat(1000)}`, {})).toBe('x');
  });

  it('rejects deeper nesting with an error rather than a stack overflow', () => {
    expect(() => renderTemplate(`{{${'('.repeat(1001)}1${')'.repeat(1001)}}}`, {})).toThrow(
      'template: template:1: max expression depth exceeded',
    );
    expect(() => renderTemplate(`${'{{if 1}}'.repeat(1001)}x${'{{end}}'.repeat(1001)}`, {})).toThrow(
      'template: template:1: max nesting depth exceeded',
    );
  });

  it('reports runaway recursion through nested actions as a TemplateError', () => {
    const source =
      '{{define "r"}}{{if .}}{{range .}}{{with .}}{{template "r" .}}{{end}}{{end}}{{end}}{{end}}{{template "r" .}}';
    let data: unknown = [];
    for (let i = 0; i < 5000; i++) data = [data];
    const error = failure(() => renderTemplate(source, data));
    expect(error.message).toMatch(
      /^template: template:1:\d+: executing "r" at <.+>: (Maximum call stack|exceeded)/,
    );
    let shallow: unknown = [];
    for (let i = 0; i < 50; i++) shallow = [shallow];
    expect(renderTemplate(source, shallow)).toBe('');
  });

  it('reports cyclic data as a TemplateError', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(failure(() => renderTemplate('{{.}}', cyclic)).message).toMatch(
      /^template: template:1:2: executing "template" at <{{.}}>: Maximum call stack size exceeded/,
    );
  });
});
