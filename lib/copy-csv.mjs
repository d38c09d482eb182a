// CSV cells, and PostgreSQL's COPY text format turned into the same CSV byte for byte without a
// string per cell (the consent export: a million lines; docs/performance.md, "The export beside
// page views"). Plain JavaScript so that the export's worker thread (lib/privacy/consent-export-worker.mjs),
// which Node runs as it is, shares it with the server; lib/csv.ts re-exports it with its types.

const FORMULA_START = /^[=+\-@\t\r]/;
/** Whatever csvCell might change: a formula start, whitespace at either end (\s is what trim
 * removes), a character that needs quoting. Most cells have none and are written as they are. */
const MAY_CHANGE = /^[=+\-@\s]|[",\r\n]|\s$/;

/** A value as one CSV cell: RFC 4180 quoting, and a cell that a spreadsheet would run as a formula
 * (=, +, -, @, tab, CR) prefixed with a quote.
 * @param {unknown} value
 * @returns {string} */
export function csvCell(value) {
  if (value === null || value === undefined) return "";
  let s = value instanceof Date ? value.toISOString() : String(value);
  if (!MAY_CHANGE.test(s)) return s;
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

// ---------------------------------------------------------------------------------------------
// COPY's text format.

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const COMMA = 44;
const BACKSLASH = 92;

/** The code points String.prototype.trim removes (and `\s` matches): lib/csv.test.ts checks the
 * list against the engine's own `\s` for every code point.
 * @param {number} cp
 * @returns {boolean}
 */
export function isTrimmedCodePoint(cp) {
  if (cp < 0x80) return cp === SPACE || (cp >= TAB && cp <= CR);
  return cp === 0xa0 || cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000 || cp === 0xfeff;
}

/** The code point whose UTF-8 starts at `at` (only the first three bytes' worth: every trimmed
 * code point is below U+10000; a four-byte one comes back as 0x10000).
 * @param {Uint8Array} bytes
 * @param {number} at
 * @returns {number}
 */
function codePointAt(bytes, at) {
  const b = bytes[at];
  if (b < 0x80) return b;
  if (b < 0xe0) return ((b & 0x1f) << 6) | (bytes[at + 1] & 0x3f);
  if (b < 0xf0) return ((b & 0x0f) << 12) | ((bytes[at + 1] & 0x3f) << 6) | (bytes[at + 2] & 0x3f);
  return 0x10000;
}

/** A cell of COPY's text format as its value: `\N` is NULL, a backslash escapes the next
 * character (b f n r t v: the control characters; anything else: itself).
 * @param {Uint8Array} bytes
 * @param {number} start
 * @param {number} end
 * @returns {string | null}
 */
export function copyTextValue(bytes, start, end) {
  if (end - start === 2 && bytes[start] === BACKSLASH && bytes[start + 1] === 78 /* N */) return null;
  const out = Buffer.allocUnsafe(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    let b = bytes[i];
    if (b === BACKSLASH && i + 1 < end) {
      b = bytes[++i];
      b = b === 98 ? 8 : b === 102 ? 12 : b === 110 ? LF : b === 114 ? CR : b === 116 ? TAB : b === 118 ? 11 : b;
    }
    out[n++] = b;
  }
  return out.toString("utf8", 0, n);
}

/** What a column of COPY text holds, when it is not a plain value (csvFromCopyText's `columns`).
 * @typedef {"value" | "time"} CopyTextColumn */
const VALUE = 0;
const TIME = 1;

/** Bytes that end a cell or stop it being copied as it is: tab, newline, quote, comma, backslash. */
const SPECIAL = new Uint8Array(256);
for (const b of [TAB, LF, QUOTE, COMMA, BACKSLASH]) SPECIAL[b] = 1;

/**
 * Rows of PostgreSQL's `COPY … TO STDOUT` text format (UTF-8, tab-separated, each ended by a newline;
 * a newline or tab in a value comes escaped) as the CSV lines csvRow writes for the same values. A
 * cell that csvCell would write as it is — no backslash (an escape), no quote or comma, not starting
 * with a formula character, no whitespace at either end — is copied byte for byte, and NULL (`\N`)
 * is an empty cell; any other is decoded and goes through csvCell. One pass over the bytes, no
 * string per cell.
 *
 * `columns` names, by position, the cells that are PostgreSQL `timestamp` text (DateStyle ISO:
 * `2026-11-26 06:26:54.72`, the fraction without its trailing zeros): they are written as
 * `to_char(t, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` writes them (`2026-11-26T06:26:54.720Z`; that
 * formatting cost PostgreSQL more than the rest of the line's cells together).
 *
 * The result has an ArrayBuffer of its own (never Node's shared pool of small buffers), so the
 * export's worker can hand it to the server's thread without copying it.
 * @param {Uint8Array} text
 * @param {readonly CopyTextColumn[]} [columns]
 * @returns {Buffer}
 */
export function csvFromCopyText(text, columns = []) {
  const kinds = new Uint8Array(Math.max(64, columns.length + 1));
  for (let c = 0; c < columns.length; c++) kinds[c] = columns[c] === "time" ? TIME : VALUE;
  const length = text.length;
  // Room for the text, each line's CR and a time cell's padding; more when a cell is rewritten.
  let out = Buffer.allocUnsafeSlow(length + (length >> 3) + 64);
  let at = 0;
  let start = 0;
  let cellAt = 0;
  let column = 0;
  let plain = true;
  for (let i = 0; i < length; i++) {
    const b = text[i];
    if (SPECIAL[b] === 0) {
      out[at++] = b;
      continue;
    }
    if (b !== TAB && b !== LF) {
      plain = false;
      out[at++] = b;
      continue;
    }
    // The end of a cell: [start, i) in the text, [cellAt, at) written so far.
    if (i > start) {
      const kind = column < kinds.length ? kinds[column] : VALUE;
      if (!plain && i - start === 2 && text[start] === BACKSLASH && text[start + 1] === 78 /* N */) at = cellAt; // NULL
      else if (kind === TIME && plain && isoTime(text, start, i)) {
        // 2026-11-26 06:26:54[.f[f[f]]] → 2026-11-26T06:26:54.fffZ
        out[cellAt + 10] = 84; /* T */
        const n = i - start;
        if (n === 19) out[at++] = 46; /* . */
        for (let k = n < 20 ? 20 : n; k < 23; k++) out[at++] = 48; /* 0 */
        out[at++] = 90; /* Z */
      } else if (!plain || kind === TIME || edgesNeedRules(text, start, i)) {
        const value = copyTextValue(text, start, i);
        const cell = csvCell(kind === TIME && value !== null ? toCharIso(value) : value);
        at = cellAt;
        const size = Buffer.byteLength(cell);
        if (at + size + (length - i) + 2 > out.length) out = grown(out, at, size + (length - i) + 2);
        at += out.write(cell, at, "utf8");
      }
    }
    if (at + (length - i) + 8 > out.length) out = grown(out, at, length - i + 8);
    if (b === TAB) {
      out[at++] = COMMA;
      column++;
    } else {
      out[at++] = CR;
      out[at++] = LF;
      column = 0;
    }
    start = i + 1;
    cellAt = at;
    plain = true;
  }
  return out.subarray(0, at);
}

/** Whether a cell without escapes, quotes or commas still needs csvCell's rules: a formula start,
 * or whitespace at either end (an ASCII space, or a Unicode space decoded from its UTF-8).
 * @param {Uint8Array} text
 * @param {number} start
 * @param {number} end
 * @returns {boolean}
 */
function edgesNeedRules(text, start, end) {
  const first = text[start];
  const last = text[end - 1];
  return (
    first === 61 /* = */ || first === 43 /* + */ || first === 45 /* - */ || first === 64 /* @ */ || first === SPACE || last === SPACE ||
    (first >= 0x80 && isTrimmedCodePoint(codePointAt(text, start))) ||
    (last >= 0x80 && isTrimmedCodePoint(codePointAt(text, lastCodePointStart(text, end))))
  );
}

/** `out` with room for `n` more bytes past `at`.
 * @param {Buffer} out
 * @param {number} at
 * @param {number} n
 * @returns {Buffer}
 */
function grown(out, at, n) {
  const bigger = Buffer.allocUnsafeSlow(Math.max(out.length * 2, at + n));
  out.copy(bigger, 0, 0, at);
  return bigger;
}

/** Whether [start, end) is `YYYY-MM-DD HH:MM:SS`, with a fraction of up to three digits or none.
 * @param {Uint8Array} text
 * @param {number} start
 * @param {number} end
 * @returns {boolean}
 */
function isoTime(text, start, end) {
  const n = end - start;
  if (n < 19 || n > 23 || n === 20 || text[start + 10] !== SPACE || text[start + 4] !== 45 || text[start + 7] !== 45 || text[start + 13] !== 58 || text[start + 16] !== 58) return false;
  if (n > 19 && text[start + 19] !== 46 /* . */) return false;
  for (let k = 0; k < n; k++) {
    if (k === 4 || k === 7 || k === 10 || k === 13 || k === 16 || k === 19) continue;
    const d = text[start + k];
    if (d < 48 || d > 57) return false;
  }
  return true;
}

/** A `timestamp` as PostgreSQL writes it (DateStyle ISO) in to_char's 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"':
 * any number of year digits, the fraction cut to milliseconds, a BC era dropped as to_char's YYYY
 * drops it, infinity empty (to_char gives NULL). Anything else is left as it is.
 * @param {string} value
 * @returns {string} */
export function toCharIso(value) {
  const m = /^(\d{4,}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d+))?( BC)?$/.exec(value);
  if (m) return `${m[1]}T${m[2]}.${(m[3] ?? "").slice(0, 3).padEnd(3, "0")}Z`;
  return value === "infinity" || value === "-infinity" ? "" : value;
}

/** Where the code point ending just before `end` starts (back over UTF-8 continuation bytes).
 * @param {Uint8Array} bytes
 * @param {number} end
 * @returns {number}
 */
function lastCodePointStart(bytes, end) {
  let i = end - 1;
  while (i > 0 && (bytes[i] & 0xc0) === 0x80) i--;
  return i;
}
