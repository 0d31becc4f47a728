/**
 * Go's tabwriter as the reference configures it (cli spec §7: min width 0, padding 3, spaces): each
 * column as wide as its widest cell plus three spaces, the last column unpadded.
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const lines = all.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 3)))
      .join('')
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}

/** Detail view: `Label:` padded to 20 columns, continuation lines indented to match (cli spec §7). */
export function renderDetail(fields: readonly (readonly [string, string | string[] | undefined])[]): string {
  const lines: string[] = [];
  for (const [label, value] of fields) {
    const values = Array.isArray(value)
      ? value
      : value === undefined || value === ''
        ? []
        : value.split('\n');
    if (values.length === 0) continue;
    values.forEach((v, i) => {
      lines.push(`${i === 0 ? `${label}:`.padEnd(20) : ' '.repeat(20)}${v}`.trimEnd());
    });
  }
  return `${lines.join('\n')}\n`;
}
