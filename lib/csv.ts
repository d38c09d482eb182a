// CSV for exports: RFC 4180 quoting, a UTF-8 BOM so Excel opens Chinese text correctly, and
// cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) prefixed with a quote.

import { csvCell } from "./copy-csv.mjs";

// csvCell and the COPY text format's conversion live in plain JavaScript, shared with the consent
// export's worker thread (lib/privacy/consent-export-worker.mjs).
export { copyTextValue, csvCell, csvFromCopyText, isTrimmedCodePoint, toCharIso } from "./copy-csv.mjs";
export type { CopyTextColumn } from "./copy-csv.mjs";

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
  return new Response(stream, { headers: csvHeaders(filename) });
}

function csvHeaders(filename: string): Record<string, string> {
  return {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${filename}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    "Cache-Control": "no-store",
  };
}

/**
 * A streamed CSV response whose lines come already written, as bytes (csvFromCopyText): the BOM
 * and header first, then each chunk as it comes. Like csvResponse, nothing is read ahead of the
 * response and the event loop serves others between chunks.
 */
export function csvBytesResponse(filename: string, header: readonly string[], chunks: AsyncIterable<Uint8Array>): Response {
  const iterator = chunks[Symbol.asyncIterator]();
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`\uFEFF${csvRow(header)}`));
      },
      async pull(controller) {
        await nextTurn();
        const { value, done } = await iterator.next();
        if (done) return controller.close();
        controller.enqueue(value);
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(stream, { headers: csvHeaders(filename) });
}
