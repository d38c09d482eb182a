import { developmentGateway } from "./development";
import { httpGateway } from "./http";

// Text messages (SMS) behind one interface: the one-time codes of the consent page and the privacy
// center (lib/privacy/self-service.ts). Which gateway sends is a deployment setting, never a portal
// one (docs/privacy.md "Connecting a real SMS provider"):
//
//   SMS_GATEWAY=http         the HTTP adapter (lib/sms/http.ts), configured by SMS_HTTP_* below
//   SMS_GATEWAY=development  writes the message to the server log (and, with SMS_DEV_OUTBOX set,
//                            appends it to that file for the end-to-end tests); never in production
//   (unset)                  development outside production; in production no gateway: sending
//                            fails with a clear message until one is configured

export type SmsMessage = {
  /** Mainland mobile number, 11 digits. */
  to: string;
  /** The one-time code (the provider's template holds the wording). */
  code: string;
  /** The text as the development gateway prints it (a real provider sends its approved template). */
  text: string;
};

export type SmsResult = { ok: true; messageId: string } | { ok: false; error: string };

export interface SmsGateway {
  readonly name: string;
  send(message: SmsMessage): Promise<SmsResult>;
}

const unconfigured: SmsGateway = {
  name: "none",
  async send() {
    console.error("[sms] no SMS gateway is configured (SMS_GATEWAY): one-time codes cannot be sent; see docs/privacy.md");
    return { ok: false, error: "not-configured" };
  },
};

/** The gateway the environment names. */
export function smsGateway(env: Record<string, string | undefined> = process.env): SmsGateway {
  const setting = (env.SMS_GATEWAY ?? "").trim().toLowerCase();
  if (setting === "http") return httpGateway(env);
  if (setting === "development") return developmentGateway(env);
  if (setting === "" && env.NODE_ENV !== "production") return developmentGateway(env);
  if (setting && setting !== "none") console.error(`[sms] SMS_GATEWAY="${setting}" is not a gateway (http, development)`);
  return unconfigured;
}
