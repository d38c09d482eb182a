import { isUtf8 } from "node:buffer";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { LIMIT, MARKER, patchNext, patchSource, unpatchSource } from "./patch-next.mjs";

// scripts/patch-next.mjs (docs/decisions/0011): Next.js's own loop that writes a page's RSC payload
// into its HTML, taken from the runtime installed here (patched by `postinstall`) and run as it is,
// minified, over payloads larger than one piece: the same bytes reach the page, in pieces of at most
// 16 KiB, never cut inside a character; without the patch, the same loop writes one piece.

const RUNTIME = path.join(path.dirname(createRequire(import.meta.url).resolve("next/package.json")), "dist/compiled/next-server/app-page-turbo.runtime.prod.js");
const installed = readFileSync(RUNTIME, "utf8");

/** Next.js's htmlEscapeJsonString (next/src/shared/lib/htmlescape.ts), which the loop calls. */
const ESCAPE: Record<string, string> = { "&": "\\u0026", ">": "\\u003e", "<": "\\u003c", "\u2028": "\\u2028", "\u2029": "\\u2029" };
const htmlEscapeJsonString = (s: string) => s.replace(/[&><\u2028\u2029]/g, (m) => ESCAPE[m]);

type Loop = (stream: Readable, output: PassThrough, scriptTag: string) => Promise<void>;

/** pullFlightData as the runtime's source has it, made callable: its two module references (Node's
 * isUtf8 and the escape) given as the names the minifier chose. */
function loopOf(source: string): Loop {
  const start = source.lastIndexOf("async function ", source.indexOf("isUtf8)(", source.indexOf("self.__next_f.push(") - 2000));
  const text = /^async function [\w$]+\(([\w$]+),([\w$]+),[\w$]+\)\{try\{[\s\S]*?\}catch\(([\w$]+)\)\{\2\.destroy\(\3\)\}\}/.exec(source.slice(start))?.[0];
  if (!text) throw new Error("pullFlightData not found");
  const utf8 = /\(0,([\w$]+)\.isUtf8\)/.exec(text)![1];
  const [, escapeModule, escapeName] = /\(0,([\w$]+)\.([\w$]+)\)\(JSON\.stringify\(\[1,/.exec(text)!;
  return new Function(utf8, escapeModule, `return ${text}`)({ isUtf8 }, { [escapeName]: htmlEscapeJsonString }) as Loop;
}

/** A payload stream as Next.js replays it: every buffered chunk pushed in one read. */
function replay(chunks: Buffer[]): Readable {
  let done = false;
  return new Readable({
    read() {
      if (done) return;
      done = true;
      for (const c of chunks) this.push(c);
      this.push(null);
    },
  });
}

/** What the page receives: each <script>'s push, decoded as the browser's router does (strings as
 * UTF-8 text, base64 as bytes). */
async function written(loop: Loop, chunks: Buffer[]): Promise<{ pieces: Array<{ kind: number; bytes: Buffer }>; html: string }> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on("data", (c: Buffer) => parts.push(c));
  const ended = new Promise((resolve) => out.on("end", resolve));
  await loop(replay(chunks), out, "<script>");
  await ended;
  const html = Buffer.concat(parts).toString("utf8");
  const pieces = [...html.matchAll(/<script>self\.__next_f\.push\((.*?)\)<\/script>/g)].map((m) => {
    const [kind, value] = JSON.parse(m[1]) as [number, string];
    return { kind, bytes: kind === 3 ? Buffer.from(value, "base64") : Buffer.from(value, "utf8") };
  });
  return { pieces, html };
}

/** A payload like a page's: rows of markup with Chinese text, emoji and characters the HTML escape
 * rewrites, ~70 KB, shifted so that 16 KiB boundaries fall inside 2-, 3- and 4-byte characters. */
function payload(shift: string): Buffer {
  let text = shift;
  for (let i = 0; text.length < 30_000; i++) text += `${i.toString(16)}:T,<tr data-n='${i}'><td>培训完成情况 — 张三 😀 é</td><td>a&b < c</td></tr>\n`;
  return Buffer.from(text, "utf8");
}

describe("the page payload written 16 KiB at a time (scripts/patch-next.mjs)", () => {
  it("the installed Next.js is patched, once", () => {
    expect(installed.split(MARKER)).toHaveLength(2);
  });

  it("writes the same bytes in pieces of at most 16 KiB, none cut inside a character; unpatched, in one piece", async () => {
    const patched = loopOf(installed);
    const original = loopOf(unpatchSource(installed));
    for (const shift of ["", "x", "xy", "xyz", "é", "中", "😀"]) {
      const bytes = payload(shift);
      // Next.js's chunks as React wrote them: 2 KiB pieces that do cut characters.
      const chunks = Array.from({ length: Math.ceil(bytes.length / 2048) }, (_, i) => bytes.subarray(i * 2048, (i + 1) * 2048));
      const after = await written(patched, chunks);
      expect(Buffer.concat(after.pieces.map((p) => p.bytes)).equals(bytes)).toBe(true);
      expect(after.pieces.length).toBe(Math.ceil(bytes.length / LIMIT));
      for (const [i, p] of after.pieces.entries()) {
        expect(p.kind).toBe(1);
        expect(p.bytes.length).toBeLessThanOrEqual(LIMIT);
        // Cut at most three bytes short of the limit (the start of a character), the last the rest.
        if (i < after.pieces.length - 1) expect(p.bytes.length).toBeGreaterThan(LIMIT - 4);
        expect(isUtf8(p.bytes)).toBe(true);
      }
      // Nothing the HTML parser could read as markup inside a <script>.
      expect(after.html.replace(/<\/?script>/g, "")).not.toMatch(/[<>&]/);
      const before = await written(original, chunks);
      expect(before.pieces).toHaveLength(1);
      expect(before.pieces[0].bytes.equals(bytes)).toBe(true);
    }
  });

  it("leaves a payload of 16 KiB or less as it was", async () => {
    const bytes = payload("").subarray(0, LIMIT);
    const after = await written(loopOf(installed), [bytes]);
    expect(after.pieces).toHaveLength(1);
    expect(after.pieces[0].bytes.equals(bytes)).toBe(true);
  });

  it("still writes bytes that are not UTF-8 as base64, whole", async () => {
    const bytes = Buffer.alloc(40_000, 0xff);
    const after = await written(loopOf(installed), [bytes]);
    expect(after.pieces.every((p) => p.kind === 3)).toBe(true);
    expect(Buffer.concat(after.pieces.map((p) => p.bytes)).equals(bytes)).toBe(true);
  });

  it("patches once, finds nothing to patch in other code, and refuses a Next.js whose served runtime lacks the loop", () => {
    const original = unpatchSource(installed);
    expect(original).not.toContain(MARKER);
    const once = patchSource(original);
    expect(once.count).toBe(1);
    expect(once.source).toBe(installed);
    expect(patchSource(once.source)).toMatchObject({ count: 0, already: true });
    expect(patchSource("async function V(e,t,r){for(;;){let n=e.read();}}")).toMatchObject({ count: 0, already: false });

    const next = mkdtempSync(path.join(os.tmpdir(), "patch-next-"));
    const dir = path.join(next, "dist/compiled/next-server");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "app-page-turbo.runtime.prod.js"), "module.exports={}");
    expect(() => patchNext(next)).toThrow(/docs\/decisions\/0011/);
    writeFileSync(path.join(dir, "app-page-turbo.runtime.prod.js"), original);
    writeFileSync(path.join(dir, "app-page.runtime.prod.js"), original);
    expect(patchNext(next)).toEqual([
      { name: "app-page-turbo.runtime.prod.js", count: 1, already: false },
      { name: "app-page.runtime.prod.js", count: 1, already: false },
    ]);
    expect(readFileSync(path.join(dir, "app-page.runtime.prod.js"), "utf8")).toBe(installed);
    expect(patchNext(next).every((r) => r.already)).toBe(true);
  });
});
