/**
 * `$(VAR)` expansion with the exact semantics of Kubernetes'
 * third_party/forked/golang/expansion: `$$` is an escaped `$` (so `$$(VAR)` yields `$(VAR)`),
 * an unknown or unterminated reference stays literal, and a lone `$` is kept.
 */
export function expandVars(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const next = input[cursor + 1];
    if (next === '$') {
      out += '$';
      cursor += 1;
    } else if (next === '(') {
      const close = input.indexOf(')', cursor + 2);
      if (close === -1) {
        out += '$(';
        cursor += 1;
      } else {
        const name = input.slice(cursor + 2, close);
        out += lookup(name) ?? `$(${name})`;
        cursor = close;
      }
    } else {
      out += `$${next}`;
      cursor += 1;
    }
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/** Expands against an env map, the way the kubelet expands command, args and env values. */
export function expandWithEnv(input: string, env: ReadonlyMap<string, string>): string {
  return expandVars(input, (name) => env.get(name));
}
