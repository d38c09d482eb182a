import { describe, expect, it } from "vitest";
import { csvCell, csvResponse, csvRow } from "./csv";

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
