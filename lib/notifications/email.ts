import nodemailer from "nodemailer";

// E-mail over SMTP (nodemailer). Configured by the environment: SMTP_URL
// ("smtp://user:pass@host:587", "smtps://host:465"; STARTTLS is used when the server offers it),
// SMTP_FROM ("WeGovern <noreply@example.com>"). Unset SMTP_URL: e-mail deliveries are recorded as
// SKIPPED ("smtp-not-configured").

export function smtpConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.SMTP_URL);
}

export type EmailOutcome = { ok: true; messageId: string } | { ok: false; permanent: boolean; detail: string };

let cached: { url: string; transport: nodemailer.Transporter } | null = null;
function transport(url: string): nodemailer.Transporter {
  if (cached?.url !== url) {
    cached?.transport.close();
    cached = { url, transport: nodemailer.createTransport(url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 } as never) };
  }
  return cached.transport;
}

/** Sends one message to one address. The Message-ID is derived from the delivery, so a resent
 * message (a worker that died after sending) carries the same id. */
export async function sendEmail(m: { to: string; subject: string; text: string; messageId: string }, env: NodeJS.ProcessEnv = process.env): Promise<EmailOutcome> {
  const url = env.SMTP_URL;
  if (!url) return { ok: false, permanent: true, detail: "smtp-not-configured" };
  const from = env.SMTP_FROM || "WeGovern <noreply@localhost>";
  const host = /@([^>]+)>?$/.exec(from)?.[1] ?? "wegovern.local";
  try {
    const info = await transport(url).sendMail({ from, to: m.to, subject: m.subject, text: m.text, messageId: `<${m.messageId}@${host}>` });
    if (info.rejected.length > 0) return { ok: false, permanent: true, detail: `smtp-rejected: ${String(info.response ?? "")}`.slice(0, 300) };
    return { ok: true, messageId: info.messageId };
  } catch (e) {
    const err = e as { responseCode?: number; response?: string; code?: string; message?: string };
    // 5xx: the server refused for good (no such mailbox, policy); 4xx and connection failures: later.
    const permanent = typeof err.responseCode === "number" && err.responseCode >= 500;
    return { ok: false, permanent, detail: `smtp ${err.responseCode ?? err.code ?? "error"}: ${err.response ?? err.message ?? ""}`.slice(0, 300) };
  }
}
