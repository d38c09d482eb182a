import { describe, expect, it } from "vitest";
import { parseWeComXml, parseXml, XmlError } from "./xml";

describe("the callback XML reader", () => {
  it("reads WeCom's envelope and an event with CDATA, plain text and predefined entities", () => {
    expect(parseWeComXml("<xml><ToUserName><![CDATA[ww1]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[abc+/=]]></Encrypt></xml>")).toEqual({ ToUserName: "ww1", AgentID: "1000002", Encrypt: "abc+/=" });
    const ev = parseWeComXml(`<?xml version="1.0"?>\n<xml>\n <CreateTime>1409659813</CreateTime>\n <Event><![CDATA[change_contact]]></Event>\n <Name>张三 &amp; &#x674E;四</Name>\n <ExtAttr><Item><Name>爱好</Name></Item></ExtAttr>\n</xml>`);
    expect(ev).toMatchObject({ CreateTime: "1409659813", Event: "change_contact", Name: "张三 & 李四" });
    expect(parseXml("<xml><A><B>1</B><B>2</B></A></xml>").children[0].children.map((c) => c.text)).toEqual(["1", "2"]);
  });

  it("refuses DTDs, entity declarations and references, comments, processing instructions", () => {
    const bad = [
      `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x "y">]><xml><A>&x;</A></xml>`,
      `<!DOCTYPE xml SYSTEM "http://evil/x.dtd"><xml/>`,
      `<xml><A>&x;</A></xml>`,
      `<xml><A>&xxe;</A></xml>`,
      `<xml><A>a & b</A></xml>`,
      `<xml><!-- c --><A>1</A></xml>`,
      `<xml><?php x ?><A>1</A></xml>`,
      `<xml><A>1</B></xml>`,
      `<xml><A>1</A>`,
      `<xml></xml><xml></xml>`,
      `<xml><A>&#0;</A></xml>`,
      `<xml a="&x;"><A>1</A></xml>`,
      "<xml>" + "<a>".repeat(20) + "</a>".repeat(20) + "</xml>",
    ];
    for (const doc of bad) expect(() => parseXml(doc), doc).toThrow(XmlError);
    expect(() => parseWeComXml("<root><A>1</A></root>")).toThrow(XmlError);
  });

  it("refuses a document over the size limit", () => {
    const big = `<xml><A><![CDATA[${"x".repeat(70_000)}]]></A></xml>`;
    expect(() => parseWeComXml(big)).toThrow(/larger than/);
    expect(parseWeComXml(big, 100_000).A.length).toBe(70_000);
  });
});
