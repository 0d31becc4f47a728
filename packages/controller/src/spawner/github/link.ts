/** The `rel="next"` URL of a `Link` response header, if any. */
export function nextPageUrl(link: string | number | undefined): string | undefined {
  if (typeof link !== 'string') return undefined;
  for (const part of link.split(',')) {
    const match = /<([^<>]+)>\s*;(.*)/.exec(part.trim());
    if (match?.[1] && /\brel="?([^";]*\s)?next(\s[^";]*)?"?/.test(match[2] ?? '')) return match[1];
  }
  return undefined;
}
