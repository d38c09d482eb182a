import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { maskPhone } from "@/lib/pii";
import type { SmsGateway } from "./index";

// The development gateway: the message goes to the server log instead of a phone. With
// SMS_DEV_OUTBOX (a file path) it is also appended to that file as one JSON line, which is how the
// end-to-end tests read a code. Only for development and tests: SMS_GATEWAY must say
// "development" explicitly in production, and it warns at every message there.

export function developmentGateway(env: Record<string, string | undefined> = process.env): SmsGateway {
  const outbox = (env.SMS_DEV_OUTBOX ?? "").trim();
  let n = 0;
  return {
    name: "development",
    async send(message) {
      const messageId = `dev-${Date.now().toString(36)}-${++n}`;
      if (env.NODE_ENV === "production") console.warn("[sms:development] the development SMS gateway is on in production: messages are logged, not sent (SMS_GATEWAY)");
      console.info(`[sms:development] to ${maskPhone(message.to)}: ${message.text}`);
      if (outbox) {
        mkdirSync(dirname(outbox), { recursive: true });
        appendFileSync(outbox, `${JSON.stringify({ to: message.to, code: message.code, text: message.text, messageId, at: new Date().toISOString() })}\n`);
      }
      return { ok: true, messageId };
    },
  };
}
