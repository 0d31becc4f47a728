/**
 * Quotes a value for POSIX sh as one word. Init container scripts embed user-controlled strings
 * (remote names and URLs, skills.sh sources, file paths), so every such value goes through here.
 */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'"'"'`)}'`;
}
