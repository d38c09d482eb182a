// Reading CSV (every import: customer contacts, service cases, consents). RFC 4180 with the
// leniencies spreadsheets need. Pure and browser-safe. A syntax error is never thrown: it comes
// back on the record it spoils, so each import reports it as that row's problem and goes on with
// the rows after it.

/** A record and the line it starts on; `error` when the line could not be read as CSV (its
 * `cells` then hold what was read up to the problem). */
export type CsvRecord = { line: number; cells: string[]; error?: CsvSyntaxProblem };
export type CsvSyntaxProblem = "unterminatedQuote";

/** The delimiter of the header line: a comma, or a tab when the line has tabs and no comma
 * (Excel's "Unicode text"). */
export function detectDelimiter(text: string): "," | "\t" {
  const end = text.search(/\r|\n/);
  const first = end === -1 ? text : text.slice(0, end);
  return !first.includes(",") && first.includes("\t") ? "\t" : ",";
}

/**
 * RFC 4180: fields separated by the delimiter, records by CRLF (LF or CR alone accepted), fields
 * in double quotes may hold delimiters, line breaks and "" for a quote. Yields each record with
 * the line it starts on; blank lines are skipped. A quote that never closes spoils only its own
 * line: that record carries `error: "unterminatedQuote"` and reading resumes on the next line
 * (the rest of the file then holds no quote, so every later line reads plainly).
 */
export function* readCsv(text: string, delimiter: "," | "\t" = detectDelimiter(text)): Generator<CsvRecord> {
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const cells: string[] = [];
    let error: CsvSyntaxProblem | undefined;
    for (;;) {
      let cell = "";
      if (text[i] === '"') {
        const opened = i;
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q === -1) {
            // Keep the rest of the opening line as the cell and carry on after it.
            i = opened + 1;
            while (i < n && text[i] !== "\n" && text[i] !== "\r") i++;
            cell = text.slice(opened + 1, i);
            line = start;
            error = "unterminatedQuote";
            break;
          }
          const chunk = text.slice(i, q);
          cell += chunk;
          line += countBreaks(chunk);
          if (text[q + 1] === '"') {
            cell += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        // Text after the closing quote up to the delimiter (`"a"b`) is kept, as spreadsheets do.
        if (!error) while (i < n && text[i] !== delimiter && text[i] !== "\n" && text[i] !== "\r") cell += text[i++];
      } else {
        let j = i;
        while (j < n && text[j] !== delimiter && text[j] !== "\n" && text[j] !== "\r") j++;
        cell = text.slice(i, j);
        i = j;
      }
      cells.push(cell);
      if (!error && i < n && text[i] === delimiter) {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === "\r" && text[i + 1] === "\n") i += 2;
    else if (text[i] === "\r" || text[i] === "\n") i++;
    line++;
    if (error) {
      yield { line: start, cells, error };
      continue;
    }
    if (cells.length === 1 && cells[0].trim() === "") continue;
    yield { line: start, cells };
  }
}

function countBreaks(s: string): number {
  let count = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c === 10) count++;
    else if (c === 13 && s.charCodeAt(k + 1) !== 10) count++;
  }
  return count;
}
