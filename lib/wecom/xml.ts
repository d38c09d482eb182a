// A strict, small XML reader for WeCom's callback envelope and events. WeCom sends flat documents
// (`<xml><Tag><![CDATA[…]]></Tag>…</xml>`, a few with one more level such as ExtAttr); nothing
// else is accepted: no DTD (<!DOCTYPE), no entity declarations, no entity references beyond the
// five XML predefines and numeric character references, no processing instructions other than a
// leading XML declaration, no comments, no attributes we would act on, a size limit and a depth
// limit. A refusal is an XmlError; the caller logs it and changes nothing.

export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "XmlError";
  }
}

export type XmlNode = { name: string; text: string; children: XmlNode[] };

export const XML_MAX_BYTES = 64 * 1024;
const MAX_DEPTH = 8;
const MAX_NODES = 2000;
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}/;
const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeText(raw: string): string {
  return raw.replace(/&([^;&\s]{0,12});?/g, (match, ref: string) => {
    if (!match.endsWith(";")) throw new XmlError("a bare '&' in text");
    if (ref in PREDEFINED) return PREDEFINED[ref];
    const num = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(ref);
    if (num) {
      const code = num[1] ? parseInt(num[1], 16) : parseInt(num[2], 10);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new XmlError("an invalid character reference");
      return String.fromCodePoint(code);
    }
    throw new XmlError(`entity references are not accepted (&${ref.slice(0, 12)};)`);
  });
}

/** Parses one document into its root node (throws XmlError on anything outside the subset). */
export function parseXml(input: string, maxBytes = XML_MAX_BYTES): XmlNode {
  if (Buffer.byteLength(input, "utf8") > maxBytes) throw new XmlError(`the document is larger than ${maxBytes} bytes`);
  if (/<!DOCTYPE|<!ENTITY|<!ELEMENT|<!ATTLIST/i.test(input)) throw new XmlError("DTDs and entity declarations are not accepted");
  let i = 0;
  let nodes = 0;
  const s = input.replace(/^\uFEFF/, "");
  const skipSpace = () => {
    while (i < s.length && /\s/.test(s[i])) i++;
  };
  skipSpace();
  if (s.startsWith("<?xml", i)) {
    const end = s.indexOf("?>", i);
    if (end < 0) throw new XmlError("an unterminated XML declaration");
    i = end + 2;
    skipSpace();
  }
  const readName = (): string => {
    const m = NAME.exec(s.slice(i, i + 64));
    if (!m) throw new XmlError(`an element name was expected at offset ${i}`);
    i += m[0].length;
    return m[0];
  };
  const element = (depth: number): XmlNode => {
    if (depth > MAX_DEPTH) throw new XmlError("the document is nested too deeply");
    if (++nodes > MAX_NODES) throw new XmlError("the document has too many elements");
    if (s[i] !== "<") throw new XmlError(`'<' was expected at offset ${i}`);
    i++;
    const name = readName();
    // Attributes are skipped (WeCom sends none we read); their values must still be plain text.
    const close = s.indexOf(">", i);
    if (close < 0) throw new XmlError("an unterminated start tag");
    const attrs = s.slice(i, close);
    if (/[<&]/.test(attrs)) throw new XmlError("attributes with markup or entities are not accepted");
    i = close + 1;
    const node: XmlNode = { name, text: "", children: [] };
    if (attrs.trimEnd().endsWith("/")) return node;
    let text = "";
    for (;;) {
      if (i >= s.length) throw new XmlError(`<${name}> is not closed`);
      if (s.startsWith("<![CDATA[", i)) {
        const end = s.indexOf("]]>", i + 9);
        if (end < 0) throw new XmlError("an unterminated CDATA section");
        text += s.slice(i + 9, end);
        i = end + 3;
      } else if (s.startsWith("</", i)) {
        i += 2;
        const endName = readName();
        if (endName !== name) throw new XmlError(`</${endName}> closes <${name}>`);
        skipSpace();
        if (s[i] !== ">") throw new XmlError("a malformed end tag");
        i++;
        node.text = node.children.length > 0 ? text.trim() : text;
        return node;
      } else if (s.startsWith("<!--", i) || s.startsWith("<?", i) || s.startsWith("<!", i)) {
        throw new XmlError("comments, processing instructions and declarations are not accepted");
      } else if (s[i] === "<") {
        node.children.push(element(depth + 1));
      } else {
        const next = s.indexOf("<", i);
        const end = next < 0 ? s.length : next;
        text += decodeText(s.slice(i, end));
        i = end;
      }
    }
  };
  const root = element(1);
  skipSpace();
  if (i !== s.length) throw new XmlError("content after the root element");
  return root;
}

/** The root's direct children as name → text (the last one wins for repeated names). */
export function xmlFields(root: XmlNode): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of root.children) out[c.name] = c.text;
  return out;
}

/** Parses and checks the root is <xml>; returns its fields. */
export function parseWeComXml(input: string, maxBytes = XML_MAX_BYTES): Record<string, string> {
  const root = parseXml(input, maxBytes);
  if (root.name !== "xml") throw new XmlError("the root element must be <xml>");
  return xmlFields(root);
}
