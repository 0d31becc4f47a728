import { describe, expect, it } from 'vitest';
import { formatOutputBlock, parseOutputs, resultsFromOutputs } from '../src/outputs/index.js';

const START = '---KELOS_OUTPUTS_START---';
const END = '---KELOS_OUTPUTS_END---';

describe('parseOutputs', () => {
  it('returns the lines of a block at the end of a log', () => {
    const log = `agent says hi\n${START}\nbranch: main\ncommit: abc\n${END}\n`;
    expect(parseOutputs(log)).toEqual(['branch: main', 'commit: abc']);
  });

  it('uses the last END marker and the last START before it', () => {
    const log = [START, 'branch: old', END, 'noise', START, 'stray', START, 'branch: new', END, 'tail'].join(
      '\n',
    );
    expect(parseOutputs(log)).toEqual(['branch: new']);
  });

  it('ignores a START after the last END', () => {
    const log = [START, 'branch: done', END, START, 'branch: unfinished'].join('\n');
    expect(parseOutputs(log)).toEqual(['branch: done']);
  });

  it('trims lines and drops empty ones', () => {
    const log = `${START}\n\n   branch: main  \r\n\t\n pr: https://x/1\n${END}`;
    expect(parseOutputs(log)).toEqual(['branch: main', 'pr: https://x/1']);
  });

  it.each([
    ['no markers', 'just a log\n'],
    ['only START', `${START}\nbranch: x\n`],
    ['only END', `branch: x\n${END}\n`],
    ['END before START', `${END}\nbranch: x\n${START}\n`],
    ['empty block', `${START}\n \n${END}\n`],
    ['empty log', ''],
  ])('returns undefined for %s', (_name, log) => {
    expect(parseOutputs(log)).toBeUndefined();
  });

  it('copes with a 20 MB line before the block', () => {
    const huge = `{"type":"assistant","text":"${'x'.repeat(20 * 1024 * 1024)}"}`;
    const log = `${huge}\n${START}\nbranch: big\n${END}\n`;
    expect(parseOutputs(log)).toEqual(['branch: big']);
  });

  it('finds markers that share a line with other output', () => {
    expect(parseOutputs(`text${START}branch: x${END}`)).toEqual(['branch: x']);
  });
});

describe('resultsFromOutputs', () => {
  it('splits each line at the first ": "', () => {
    expect(resultsFromOutputs(['branch: main', 'pr: https://github.com/o/r/pull/1', 'note: a: b'])).toEqual({
      branch: 'main',
      pr: 'https://github.com/o/r/pull/1',
      note: 'a: b',
    });
  });

  it('skips lines without a separator or with an empty key, and lets a later key win', () => {
    expect(resultsFromOutputs(['no-separator', ': empty key', 'key:no-space', 'a: 1', 'a: 2'])).toEqual({
      a: '2',
    });
  });

  it('keeps empty values', () => {
    expect(resultsFromOutputs(['pr: '])).toEqual({ pr: '' });
  });

  it('returns undefined when nothing parses', () => {
    expect(resultsFromOutputs(undefined)).toBeUndefined();
    expect(resultsFromOutputs([])).toBeUndefined();
    expect(resultsFromOutputs(['nothing here'])).toBeUndefined();
  });
});

describe('formatOutputBlock', () => {
  it('round-trips through parseOutputs', () => {
    const lines = ['branch: kelos/x', 'commit: 0123456789abcdef0123456789abcdef01234567', 'cost-usd: 0.0123'];
    expect(parseOutputs(`stream\n${formatOutputBlock(lines)}`)).toEqual(lines);
    expect(formatOutputBlock(['a: 1'])).toBe(`${START}\na: 1\n${END}\n`);
  });
});
