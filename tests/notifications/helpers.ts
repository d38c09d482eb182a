import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";

// A real SMTP server (the smtp-server package) for the delivery tests: it accepts mail on a loopback
// port, refuses recipients whose address starts with "bounce" (550, a permanent rejection) or
// "busy" (451, try later) and
// keeps every message it received, raw, for the test to read back.

export type ReceivedMail = { from: string; to: string[]; raw: string };
export type TestSmtp = { url: string; port: number; received: ReceivedMail[]; stop: () => Promise<void> };

/** `holdData`: the server reads a message's data, keeps it as received, and never answers it (a
 * sender killed meanwhile never learns the outcome). `auth`: AUTH PLAIN/LOGIN required with these
 * credentials (no TLS: allowed as insecure, on loopback only). */
export async function startTestSmtp(o: { holdData?: boolean; auth?: { user: string; pass: string } } = {}): Promise<TestSmtp & { logins: string[] }> {
  const received: ReceivedMail[] = [];
  const logins: string[] = [];
  const server = new SMTPServer({
    authOptional: !o.auth,
    allowInsecureAuth: true,
    disabledCommands: o.auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    onAuth(auth, _session, callback) {
      if (o.auth && auth.username === o.auth.user && auth.password === o.auth.pass) {
        logins.push(auth.username ?? "");
        return callback(null, { user: auth.username });
      }
      return callback(new Error("535 5.7.8 authentication failed"));
    },
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith("busy")) {
        const err = new Error("4.3.2 try again later") as Error & { responseCode: number };
        err.responseCode = 451;
        return callback(err);
      }
      if (address.address.startsWith("bounce")) {
        const err = new Error("5.1.1 mailbox unavailable") as Error & { responseCode: number };
        err.responseCode = 550;
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
        if (!o.holdData) callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, port, received, logins, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The decoded text of a received message's headers and body (quoted-printable / base64 undone). */
export function decodeMail(raw: string): { subject: string; body: string } {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
  const subjectRaw = /^Subject: (.*)$/im.exec(unfolded)?.[1] ?? "";
  const subject = subjectRaw.replace(/=\?utf-8\?([BQ])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
    enc.toUpperCase() === "B" ? Buffer.from(text, "base64").toString("utf8") : Buffer.from(text.replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8"),
  );
  let body = rest.join("\n\n");
  if (/Content-Transfer-Encoding: quoted-printable/i.test(head)) body = Buffer.from(body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8");
  else if (/Content-Transfer-Encoding: base64/i.test(head)) body = Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  return { subject, body };
}
