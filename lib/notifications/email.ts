import nodemailer from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import { decrypt } from "@/lib/pii";
import type { DbClient, Tx } from "@/lib/server/prisma-client";

// E-mail over SMTP (nodemailer). Configured by ADMIN at 设置 → 通知发送 (smtp_settings: host, port,
// TLS mode, user, password as a lib/pii token, sender); without that row, by the environment:
// SMTP_URL ("smtp://user:pass@host:587", "smtps://host:465"; STARTTLS when offered) and SMTP_FROM
// ("WeGovern <noreply@example.com>"). Neither: e-mail deliveries are SKIPPED ("smtp-not-configured").

export type TlsMode = "NONE" | "STARTTLS" | "TLS";
export type SmtpConfig = { source: "portal" | "env"; options: string | SMTPTransport.Options; from: string; key: string };

const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

/** The transport options of a portal-set SMTP server. NONE: plain (STARTTLS if the server offers
 * it); STARTTLS: required; TLS: implicit TLS from the first byte (port 465). */
export function transportOptions(s: { host: string; port: number; tlsMode: string; username: string; password: string | null }): SMTPTransport.Options {
  return {
    host: s.host,
    port: s.port,
    secure: s.tlsMode === "TLS",
    requireTLS: s.tlsMode === "STARTTLS",
    ...(s.username ? { auth: { user: s.username, pass: s.password ?? "" } } : {}),
    ...TIMEOUTS,
  };
}

/** The SMTP server in force: the portal's settings, else the environment, else none. */
export async function loadSmtp(prisma: DbClient | Tx, env: NodeJS.ProcessEnv = process.env): Promise<SmtpConfig | null> {
  const row = await prisma.smtpSettings.findUnique({ where: { id: "default" } });
  if (row) {
    const password = row.passwordCipher ? decrypt(row.passwordCipher) : null;
    return { source: "portal", options: transportOptions({ ...row, password }), from: row.fromAddress, key: `portal:${row.version}:${row.updatedAt.getTime()}` };
  }
  if (env.SMTP_URL) return { source: "env", options: env.SMTP_URL, from: env.SMTP_FROM || "WeGovern <noreply@localhost>", key: `env:${env.SMTP_URL}` };
  return null;
}

export type EmailOutcome = { ok: true; messageId: string } | { ok: false; permanent: boolean; detail: string };

let cached: { key: string; transport: nodemailer.Transporter } | null = null;
function transport(config: SmtpConfig): nodemailer.Transporter {
  if (cached?.key !== config.key) {
    cached?.transport.close();
    cached = { key: config.key, transport: typeof config.options === "string" ? nodemailer.createTransport(config.options, TIMEOUTS as never) : nodemailer.createTransport(config.options) };
  }
  return cached.transport;
}

/** The Message-ID of a delivery's e-mail, recorded before it is sent (deliver.ts). */
export function emailMessageId(deliveryId: string, from: string): string {
  const host = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "wegovern.local";
  return `<notification-${deliveryId}@${host}>`;
}

/** Sends one message to one address with the given Message-ID. */
export async function sendEmail(config: SmtpConfig, m: { to: string; subject: string; text: string; messageId: string }): Promise<EmailOutcome> {
  try {
    const info = await transport(config).sendMail({ from: config.from, to: m.to, subject: m.subject, text: m.text, messageId: m.messageId });
    if (info.rejected.length > 0) return { ok: false, permanent: true, detail: `smtp-rejected: ${String(info.response ?? "")}`.slice(0, 300) };
    return { ok: true, messageId: info.messageId };
  } catch (e) {
    const err = e as { responseCode?: number; response?: string; code?: string; message?: string };
    // 5xx: the server refused for good (no such mailbox, policy); 4xx and connection failures: later.
    const permanent = typeof err.responseCode === "number" && err.responseCode >= 500;
    return { ok: false, permanent, detail: `smtp ${err.responseCode ?? err.code ?? "error"}: ${err.response ?? err.message ?? ""}`.slice(0, 300) };
  }
}
