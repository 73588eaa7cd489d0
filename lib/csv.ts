/**
 * One CSV (RFC 4180) record, with its line ending, that is safe to open in a spreadsheet: every
 * field is quoted, quotes doubled, and a value starting with = + - @ or a control character is
 * prefixed with ' so a key name like `=HYPERLINK(...)` is shown as text instead of run as a
 * formula (CSV injection).
 */
export function csvLine(row: unknown[]): string {
  return row.map(cell).join(",") + "\r\n";
}

function cell(value: unknown): string {
  let text = value === null || value === undefined ? "" : value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join(" ") : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * A CSV download streamed batch by batch: each batch is read from the database only when the
 * client has taken the previous one, so an export of any size holds one batch in memory. The
 * first batch is read before answering, so a database that is down still gets an error status;
 * a failure after that can no longer change the status, so it aborts the stream (the download
 * fails visibly instead of looking complete) and goes to onError for the log.
 */
export async function csvResponse<T>(options: {
  filename: string;
  header: string[];
  batches: AsyncGenerator<T[]>;
  toRow: (item: T) => unknown[];
  onError: (error: unknown) => void;
}): Promise<Response> {
  const { header, batches, toRow, onError } = options;
  const encoder = new TextEncoder();
  const lines = (items: T[]) => encoder.encode(items.map((item) => csvLine(toRow(item))).join(""));
  const first = await batches.next();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(header)));
      if (first.done) controller.close();
      else controller.enqueue(lines(first.value));
    },
    async pull(controller) {
      try {
        const next = await batches.next();
        if (next.done) controller.close();
        else controller.enqueue(lines(next.value));
      } catch (error) {
        onError(error);
        controller.error(error);
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${options.filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
