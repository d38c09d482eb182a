import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { checkRow, decodeCsvBytes, mapHeader, parseAddedAt, readCsv } from "./parse";

const rows = (text: string) => [...readCsv(text)].map((r) => r.cells);

describe("readCsv (RFC 4180)", () => {
  it("reads quoted cells with commas, quotes, and line breaks, CRLF and LF", () => {
    const text = 'a,b,c\r\n"x, y","say ""hi""","line1\r\nline2"\r\nplain,,last\nlf,only,row';
    expect(rows(text)).toEqual([
      ["a", "b", "c"],
      ["x, y", 'say "hi"', "line1\r\nline2"],
      ["plain", "", "last"],
      ["lf", "only", "row"],
    ]);
  });

  it("numbers records by the line they start on, counting line breaks inside quotes, and skips blank lines", () => {
    const text = 'h1,h2\n"multi\nline",x\n\n3,y\n';
    expect([...readCsv(text)].map((r) => r.line)).toEqual([1, 2, 5]);
  });

  it("marks the record of a quote that never closes with its line, and reads the lines after it", () => {
    const text = 'h1,h2\nok,1\n"broken,2\nmore,3\r\nlast,4\n';
    expect([...readCsv(text)]).toEqual([
      { line: 1, cells: ["h1", "h2"] },
      { line: 2, cells: ["ok", "1"] },
      { line: 3, cells: ["broken,2"], error: "unterminatedQuote" },
      { line: 4, cells: ["more", "3"] },
      { line: 5, cells: ["last", "4"] },
    ]);
    // In a later cell, on the header, at the very end, after a closed multi-line cell.
    expect([...readCsv('a,"b\nc,d')]).toEqual([{ line: 1, cells: ["a", "b"], error: "unterminatedQuote" }, { line: 2, cells: ["c", "d"] }]);
    expect([...readCsv('a,b\nc,"')]).toEqual([{ line: 1, cells: ["a", "b"] }, { line: 2, cells: ["c", ""], error: "unterminatedQuote" }]);
    expect([...readCsv('a,b\n"x\ny",1\n"z,2\n3,4')].map((r) => [r.line, r.error])).toEqual([[1, undefined], [2, undefined], [4, "unterminatedQuote"], [5, undefined]]);
    expect([...readCsv('a\tb\n"x\ty\nc\td', "\t")].map((r) => r.cells)).toEqual([["a", "b"], ["x\ty"], ["c", "d"]]);
  });

  it("reads a tab-separated file (Excel's Unicode text)", () => {
    expect(rows("客户ID\t客户名称\nwm1\t张三")).toEqual([
      ["客户ID", "客户名称"],
      ["wm1", "张三"],
    ]);
  });

  it("keeps a trailing empty cell", () => {
    expect(rows("a,b,\n")).toEqual([["a", "b", ""]]);
  });
});

describe("decodeCsvBytes", () => {
  const sample = "客户ID,客户名称,企业\nwm1,张三,深圳某某科技有限公司\n";

  it("reads UTF-8 without and with a BOM, and says which", () => {
    const plain = new TextEncoder().encode(sample);
    expect(decodeCsvBytes(plain)).toEqual({ text: sample, encoding: "UTF-8" });
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...plain]);
    expect(decodeCsvBytes(bom)).toEqual({ text: sample, encoding: "UTF-8 (BOM)" });
  });

  it("reads GBK bytes (not valid UTF-8) as GB18030", () => {
    const gbk = new Uint8Array(iconv.encode(sample, "gbk"));
    expect(decodeCsvBytes(gbk)).toEqual({ text: sample, encoding: "GB18030" });
    const gb18030 = new Uint8Array(iconv.encode("客户ID,名称\nwm1,𠀀字\n", "gb18030"));
    expect(decodeCsvBytes(gb18030).text).toBe("客户ID,名称\nwm1,𠀀字\n");
  });

  it("reads UTF-16LE with its BOM", () => {
    const bytes = new Uint8Array([0xff, 0xfe, ...iconv.encode(sample, "utf16le")]);
    expect(decodeCsvBytes(bytes)).toEqual({ text: sample, encoding: "UTF-16LE" });
  });
});

describe("mapHeader", () => {
  it("accepts Chinese and English aliases in any order, ignoring case, spaces and a BOM", () => {
    expect(mapHeader(["\uFEFF所属账号", "添加时间", "企业", "客户名称", "客户ID"]).columns).toEqual({ account: 0, addedAt: 1, company: 2, name: 3, externalId: 4 });
    expect(mapHeader(["External_UserID", "Name", "corp_name", "createtime", "Holder Account"]).missing).toEqual([]);
    expect(mapHeader(["外部联系人ID", "姓名", "公司", "added_at", "account"]).missing).toEqual([]);
  });

  it("lists every missing required column; company is optional; extra columns are ignored", () => {
    expect(mapHeader(["客户名称", "企业", "备注"]).missing).toEqual(["externalId", "addedAt", "account"]);
    expect(mapHeader(["客户ID", "客户名称", "添加时间", "所属账号"]).missing).toEqual([]);
  });

  it("reports a field named twice", () => {
    expect(mapHeader(["客户ID", "external_userid", "name"]).repeated).toEqual(["external_userid"]);
  });
});

describe("parseAddedAt", () => {
  const now = new Date("2026-11-25T00:00:00Z");
  it("reads unix seconds and milliseconds, dates and date-times in China time unless an offset is given", () => {
    expect(parseAddedAt("1735689600", now)?.toISOString()).toBe("2025-01-01T00:00:00.000Z");
    expect(parseAddedAt("1735689600000", now)?.toISOString()).toBe("2025-01-01T00:00:00.000Z");
    expect(parseAddedAt("2025-01-01 08:00:00", now)?.toISOString()).toBe("2025-01-01T00:00:00.000Z");
    expect(parseAddedAt("2025/1/1 8:00", now)?.toISOString()).toBe("2025-01-01T00:00:00.000Z");
    expect(parseAddedAt("2025-01-01", now)?.toISOString()).toBe("2024-12-31T16:00:00.000Z");
    expect(parseAddedAt("2025年1月1日", now)?.toISOString()).toBe("2024-12-31T16:00:00.000Z");
    expect(parseAddedAt("2025-01-01T00:00:00Z", now)?.toISOString()).toBe("2025-01-01T00:00:00.000Z");
    expect(parseAddedAt("2025-01-01T02:00:00+02:00", now)?.toISOString()).toBe("2025-01-01T00:00:00.000Z");
  });

  it("refuses impossible, ancient and future dates and other text", () => {
    for (const bad of ["2025-02-30", "2025-13-01", "1999-12-31", "2027-01-01", "yesterday", "12345", "2025-01-01 25:00"]) {
      expect(parseAddedAt(bad, now), bad).toBeNull();
    }
  });
});

describe("checkRow", () => {
  const ok = { externalId: "wmABC", name: "张三", company: "", addedAt: "2025-01-01", account: "acc" };
  it("passes a good row and keeps a formula-looking name as text", () => {
    expect(checkRow(ok).reasons).toEqual([]);
    const formula = checkRow({ ...ok, name: "=cmd|' /C calc'!A0" });
    expect(formula.reasons).toEqual([]);
    expect(formula.name).toBe("=cmd|' /C calc'!A0");
  });

  it("gives one reason per failed check", () => {
    expect(checkRow({ externalId: "", name: "x".repeat(201), company: "a\u0007b", addedAt: "soon", account: "" }).reasons).toEqual([
      "missingExternalId",
      "nameTooLong",
      "companyControlChars",
      "missingAccount",
      "badAddedAt",
    ]);
    expect(checkRow({ ...ok, name: "a\tb" }).reasons).toEqual(["nameControlChars"]);
    expect(checkRow({ ...ok, externalId: "wm 1" }).reasons).toEqual(["externalIdInvalid"]);
    expect(checkRow({ ...ok, addedAt: " " }).reasons).toEqual(["missingAddedAt"]);
  });
});
