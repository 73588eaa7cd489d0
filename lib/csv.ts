/**
 * CSV (RFC 4180) that is safe to open in a spreadsheet: every field is quoted, quotes doubled,
 * and a value starting with = + - @ or a control character is prefixed with ' so a key name like
 * `=HYPERLINK(...)` is shown as text instead of run as a formula (CSV injection).
 */
export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}

function cell(value: unknown): string {
  let text = value === null || value === undefined ? "" : value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join(" ") : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}
