// CSV for exports: RFC 4180 quoting, a UTF-8 BOM so Excel opens Chinese text correctly, and
// cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) prefixed with a quote.

const FORMULA_START = /^[=+\-@\t\r]/;
/** Whatever csvCell might change: a formula start, whitespace at either end (\s is what trim
 * removes), a character that needs quoting. Most cells have none and are written as they are. */
const MAY_CHANGE = /^[=+\-@\s]|[",\r\n]|\s$/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s = value instanceof Date ? value.toISOString() : String(value);
  if (!MAY_CHANGE.test(s)) return s;
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: readonly unknown[]): string {
  // A loop rather than map and join: an export writes a million of these.
  let line = values.length ? csvCell(values[0]) : "";
  for (let i = 1; i < values.length; i++) line += `,${csvCell(values[i])}`;
  return `${line}\r\n`;
}

/** Lets what else waits on the event loop (other people's page views) run before the next page. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A streamed CSV response: rows are pulled a page at a time from `pages`, so an export of any
 * size holds one page in memory; between pages the event loop serves others first.
 */
export function csvResponse(filename: string, header: readonly string[], pages: AsyncIterable<readonly unknown[][]>): Response {
  const encoder = new TextEncoder();
  const iterator = pages[Symbol.asyncIterator]();
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(`\uFEFF${csvRow(header)}`));
      },
      async pull(controller) {
        await nextTurn();
        const { value, done } = await iterator.next();
        if (done) return controller.close();
        controller.enqueue(encoder.encode(value.map(csvRow).join("")));
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    // Nothing is read ahead of the response: the next page is asked for when the response has
    // taken the last one (it waits for the socket to drain first).
    { highWaterMark: 0 },
  );
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      "Cache-Control": "no-store",
    },
  });
}
