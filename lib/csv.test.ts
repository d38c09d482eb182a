import { describe, expect, it } from "vitest";
import { copyTextValue, csvBytesResponse, csvCell, csvFromCopyText, csvResponse, csvRow, isTrimmedCodePoint, toCharIso } from "./csv";

// csvCell writes most cells as they are without its three checks; the cells that need one must
// come out exactly as the full rules write them: a formula start prefixed with a quote, quoting for
// a quote, comma, CR, LF or whitespace at either end (what trim removes, full-width space and
// no-break space included). And csvResponse streams pages one after another with nothing lost.

/** The rules as written before csvCell skipped them for plain cells. */
function reference(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

const CELLS: unknown[] = [
  null, undefined, "", "plain", "客户一", 42, 0, -1, true, new Date("2026-12-06T01:02:03.004Z"),
  "=SUM(A1)", "+86 139", "-5", "@user", "\tx", "\rx", "\t", "\r", "=a,b", '=HYPERLINK("x"),"ev"',
  'say "hi"', "a,b", "a\nb", "a\r\nb", " lead", "trail ", "\u3000全角", "全角\u3000", "\u00a0nbsp", "nbsp\u00a0", "\ufeffbom", "x\u2028", "\u000bv", "f\f",
  " ", "\u3000", "mid dle", "中 间", "'quoted'", "-", "=", "a\tb",
];

describe("csvCell", () => {
  it("writes every kind of cell as the full rules do", () => {
    for (const cell of CELLS) expect(csvCell(cell), JSON.stringify(cell)).toBe(reference(cell));
  });

  it("writes a row of cells separated by commas and ended by CRLF", () => {
    expect(csvRow(["a", null, "b,c", "=1"])).toBe(`a,,"b,c",'=1\r\n`);
    expect(csvRow([])).toBe("\r\n");
    expect(csvRow(CELLS)).toBe(`${CELLS.map(reference).join(",")}\r\n`);
  });
});

describe("csvResponse", () => {
  it("streams the header and every page in order, each line once", async () => {
    const pages = [[["1", "a"]], [["2", "b,c"], ["3", null]], [], [["4", "=x"]]];
    async function* source() {
      for (const page of pages) yield page;
    }
    const res = csvResponse("x.csv", ["id", "v"], source());
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(new TextDecoder("utf-8", { ignoreBOM: true }).decode(await res.arrayBuffer())).toBe(`\uFEFFid,v\r\n1,a\r\n2,"b,c"\r\n3,\r\n4,'=x\r\n`);
  });

  it("stops reading pages when the download is cancelled", async () => {
    let read = 0;
    let closed = false;
    async function* source() {
      try {
        for (let i = 0; i < 100; i++) {
          read++;
          yield [[String(i)]];
        }
      } finally {
        closed = true;
      }
    }
    const reader = csvResponse("x.csv", ["id"], source()).body!.getReader();
    await reader.read(); // the header
    await reader.read(); // the first page
    await reader.cancel();
    expect(closed).toBe(true);
    expect(read).toBeLessThan(100);
  });
});

/** A row as PostgreSQL's COPY text format writes it (CopyAttributeOutText): backslash, and the
 * control characters b f n r t v, escaped with a backslash; NULL as \N; tab-separated, newline-ended. */
function copyText(values: readonly (string | null)[]): string {
  const escape = (v: string) => v.replace(/[\\\b\f\n\r\t\v]/g, (c) => `\\${({ "\\": "\\", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v" } as Record<string, string>)[c]}`);
  return `${values.map((v) => (v === null ? "\\N" : escape(v))).join("\t")}\n`;
}

describe("csvFromCopyText", () => {
  it("knows the whitespace trim removes, code point by code point", () => {
    // One expect over the disagreements: 1.1 million expect calls took a minute on a loaded machine.
    const space = /^\s$/u;
    const disagree: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) if ((cp < 0xd800 || cp > 0xdfff) && isTrimmedCodePoint(cp) !== space.test(String.fromCodePoint(cp))) disagree.push(cp.toString(16));
    expect(disagree).toEqual([]);
  });

  it("reads COPY's escapes and NULL", () => {
    const bytes = Buffer.from("a\\\\b\\tc\\nd\\re\\bf\\fg\\vh\\N");
    expect(copyTextValue(bytes, 0, bytes.length)).toBe("a\\b\tc\nd\re\bf\fg\vhN"); // "\\N" inside a value: an N
    const nul = Buffer.from("\\N");
    expect(copyTextValue(nul, 0, nul.length)).toBeNull();
  });

  it("writes every row as csvRow does, byte for byte, cells that need csvCell's rules or not", () => {
    const values: (string | null)[] = [...CELLS.filter((c): c is string => typeof c === "string"), null, "\\", "\\N", "a\\nb", "x\u0085", "\u0085x", "\u200bzw", "😀", "x😀", "😀 ", " 😀", "\u001cx", "ÿ", "\u180ex", "é ", "中文\u2000"];
    const rows: (string | null)[][] = [];
    for (let i = 0; i < values.length; i++) rows.push([values[i], values[(i * 7 + 3) % values.length], "plain", values[(i * 5 + 1) % values.length]]);
    rows.push([""], [null], ["one"], values);
    const text = Buffer.from(rows.map(copyText).join(""), "utf8");
    expect(csvFromCopyText(text).toString("utf8")).toBe(rows.map(csvRow).join(""));
    expect(csvFromCopyText(new Uint8Array(0)).length).toBe(0);
  });

  // What PostgreSQL 15 writes for these `timestamp`s (DateStyle ISO) and what
  // to_char(t, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') gives for them (psql, 2026-12-06).
  const TIMES: [string, string][] = [
    ["2026-11-26 06:26:54.724", "2026-11-26T06:26:54.724Z"],
    ["2026-11-26 06:26:54.72", "2026-11-26T06:26:54.720Z"],
    ["2026-11-26 06:26:54.7", "2026-11-26T06:26:54.700Z"],
    ["2026-11-26 06:26:54", "2026-11-26T06:26:54.000Z"],
    ["2026-01-01 00:00:00.005", "2026-01-01T00:00:00.005Z"],
    ["2026-01-01 00:00:00.1239", "2026-01-01T00:00:00.123Z"],
    ["2026-01-01 00:00:00.9999", "2026-01-01T00:00:00.999Z"],
    ["0044-03-15 12:00:00 BC", "0044-03-15T12:00:00.000Z"],
    ["10000-01-01 00:00:00.5", "10000-01-01T00:00:00.500Z"],
    ["infinity", ""],
    ["-infinity", ""],
  ];

  it("writes the time columns' timestamps as to_char writes them, and leaves the other columns' as they are", () => {
    for (const [text, iso] of TIMES) expect(toCharIso(text), text).toBe(iso);
    const rows = TIMES.map(([text], i) => [text, `v${i}`, i % 2 ? null : TIMES[(i + 3) % TIMES.length][0], text]);
    rows.push([null, "x", null, null], ["", "=1", "2026-11-26 06:26:54", " "]);
    const copy = Buffer.from(rows.map(copyText).join(""), "utf8");
    const want = rows.map(([a, b, c, d]) => csvRow([a === null ? null : toCharIso(a), b, c === null ? null : toCharIso(c), d])).join("");
    expect(csvFromCopyText(copy, ["time", "value", "time"]).toString("utf8")).toBe(want);
    expect(want).toContain("2026-11-26T06:26:54.700Z,v2,2026-01-01T00:00:00.123Z,2026-11-26 06:26:54.7\r\n");
  });
});

describe("csvBytesResponse", () => {
  it("streams the BOM, the header and every chunk as it comes", async () => {
    async function* source() {
      yield Buffer.from("1,a\r\n");
      yield Buffer.from('2,"b,c"\r\n');
    }
    const res = csvBytesResponse("x.csv", ["id", "v"], source());
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toContain('filename="x.csv"');
    expect(new TextDecoder("utf-8", { ignoreBOM: true }).decode(await res.arrayBuffer())).toBe(`\uFEFFid,v\r\n1,a\r\n2,"b,c"\r\n`);
  });
});
