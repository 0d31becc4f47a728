import type { Style } from '../style.js';

/** Progress on stderr: animated on a terminal, one line per step otherwise (ora's own fallback). */
export interface Progress {
  run<T>(text: string, work: () => Promise<T>): Promise<T>;
}

export async function createProgress(style: Style): Promise<Progress> {
  const { default: ora } = await import('ora');
  return {
    async run<T>(text: string, work: () => Promise<T>): Promise<T> {
      const spinner = ora({ text, stream: process.stderr, color: style.level > 0 ? 'cyan' : false }).start();
      try {
        const result = await work();
        spinner.stopAndPersist({ symbol: style.green('✔'), text });
        return result;
      } catch (err) {
        spinner.stopAndPersist({ symbol: style.red('✖'), text });
        throw err;
      }
    },
  };
}
