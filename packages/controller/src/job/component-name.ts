/**
 * Plugin, skill, sub-agent and MCP server names become path components (and config keys) inside
 * the pod, so they must not be empty, contain a separator or walk out of their directory.
 * Returns the problem, or undefined when the name is safe.
 */
export function componentNameProblem(name: string, kind: string): string | undefined {
  if (name === '') return `${kind} name is empty`;
  if (/[/\\]/.test(name)) return `${kind} name ${JSON.stringify(name)} contains path separators`;
  if (name === '.' || name === '..') return `${kind} name ${JSON.stringify(name)} is a path traversal`;
  return undefined;
}
