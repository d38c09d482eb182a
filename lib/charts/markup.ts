// SVG and HTML written as a string, for charts drawn on the server and emitted as one node
// (components/ui/chart-trend.tsx). Every value goes through `escapeText` / `attrs`, so a label or
// a summary can hold any characters: nothing in them can open a tag or close an attribute.
//
// Attribute values are single-quoted: the markup also travels inside the page's RSC payload, a
// JSON string inside a JSON string, where each double quote would cost four characters.

const TEXT: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&#39;", '"': "&quot;" };

/** Text content or an attribute value, escaped for HTML and inline SVG. */
export function escapeText(value: string): string {
  return value.replace(/[&<>'"]/g, (c) => TEXT[c]);
}

export type Attrs = Record<string, string | number | null | undefined | false>;

/** ` name='value'` for each attribute that has a value (null, undefined and false are left out). */
export function attrs(a: Attrs): string {
  let out = "";
  for (const name in a) {
    const v = a[name];
    if (v === null || v === undefined || v === false) continue;
    out += ` ${name}='${escapeText(String(v))}'`;
  }
  return out;
}

/** An element with children (already markup), e.g. `el("g", { fill: "#fff" }, inner)`. */
export function el(tag: string, a: Attrs, children = ""): string {
  return `<${tag}${attrs(a)}>${children}</${tag}>`;
}

/** A childless SVG element, self-closed (valid inside <svg> in an HTML document). */
export function leaf(tag: string, a: Attrs): string {
  return `<${tag}${attrs(a)}/>`;
}

/** Text content, escaped. */
export const text = escapeText;

/**
 * A small bounded memo: the value built for a key, kept until `max` others have been added after
 * it. Only for outputs that are a pure function of their key (the key must name every input).
 */
export class MarkupMemo<T = string> {
  private readonly kept = new Map<string, T>();
  constructor(private readonly max: number) {}

  get(key: string, build: () => T): T {
    const hit = this.kept.get(key);
    if (hit !== undefined) return hit;
    const value = build();
    if (this.kept.size >= this.max) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(key, value);
    return value;
  }

  get size(): number {
    return this.kept.size;
  }
}
