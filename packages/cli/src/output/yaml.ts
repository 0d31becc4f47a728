import { stringify } from 'yaml';

/**
 * An object as YAML, long lines unwrapped (dry runs print what they would create). Imported lazily in
 * place of `import('yaml')`: in the bundled bin, esbuild turns a dynamic import of that CommonJS package
 * into a module with a default export only, so `stringify` would be undefined there.
 */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}
