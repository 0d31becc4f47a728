import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/program.js';

const ALL = [
  'init',
  'install',
  'uninstall',
  'run',
  'create',
  'get',
  'delete',
  'logs',
  'suspend',
  'resume',
  'dev',
  'completion',
  'version',
];

const names = (args: string[]) => buildProgram(args).commands.map((c) => c.name());

describe('buildProgram', () => {
  it('builds the whole tree for help, completion, global options first and unknown words', () => {
    for (const args of [
      [],
      ['--help'],
      ['help', 'get'],
      ['__complete', 'get', ''],
      ['-n', 'x', 'get'],
      ['gte'],
    ]) {
      expect(names(args), args.join(' ')).toEqual(ALL);
    }
  });

  it('builds only the command the first argument names, with its whole subtree and the global options', () => {
    for (const name of ALL) expect(names([name, '--help'])).toEqual([name]);
    const program = buildProgram(['get', 'tasks']);
    expect(program.commands[0]?.commands.map((c) => c.name())).toEqual(
      buildProgram([])
        .commands.find((c) => c.name() === 'get')
        ?.commands.map((c) => c.name()),
    );
    expect(program.options.map((o) => o.long)).toContain('--kubeconfig');
  });
});
