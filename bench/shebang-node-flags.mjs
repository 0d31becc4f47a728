import { readFileSync } from 'node:fs';

/** The flags `#!/usr/bin/env -S node FLAGS` gives node: a bench runs a bin as it is shipped. */
export function shebangNodeFlags(script) {
  const [first = ''] = readFileSync(script, 'utf8').split('\n', 1);
  const words = first.replace(/^#!\S+(\s+-S)?\s+/, '').split(/\s+/);
  return words[0] === 'node' ? words.slice(1).filter(Boolean) : [];
}
