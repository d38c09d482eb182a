import type { SmsGateway } from "./index";

// An adapter for an SMS provider reached over HTTP (most Chinese providers offer one, or a small
// relay in front of a signed SDK call does: docs/privacy.md). One POST per message:
//
//   POST $SMS_HTTP_URL
//   Authorization: Bearer $SMS_HTTP_TOKEN              (when set)
//   Content-Type: application/json
//   { "to": "13800000000", "sign": $SMS_HTTP_SIGN, "template": $SMS_HTTP_TEMPLATE, "params": { "code": "123456" } }
//
// A 2xx answer is success; its JSON "messageId" (or "id", "BizId", "requestId") is kept with the
// code's record. Anything else — another status, a network error, no answer within
// SMS_HTTP_TIMEOUT_MS (default 10 s) — is a failure the page reports as "could not send".

export function httpGateway(env: Record<string, string | undefined> = process.env): SmsGateway {
  const url = (env.SMS_HTTP_URL ?? "").trim();
  const token = (env.SMS_HTTP_TOKEN ?? "").trim();
  const timeout = Number(env.SMS_HTTP_TIMEOUT_MS ?? "") || 10_000;
  return {
    name: "http",
    async send(message) {
      if (!/^https?:\/\//.test(url)) {
        console.warn("[sms:http] SMS_HTTP_URL is not set to an http(s) address");
        return { ok: false, error: "not-configured" };
      }
      try {
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ to: message.to, sign: env.SMS_HTTP_SIGN ?? "", template: env.SMS_HTTP_TEMPLATE ?? "", params: { code: message.code } }),
          signal: AbortSignal.timeout(timeout),
        });
        const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
        if (!res.ok) {
          console.warn(`[sms:http] the provider answered ${res.status}`);
          return { ok: false, error: `status-${res.status}` };
        }
        const id = [body.messageId, body.id, body.BizId, body.requestId].find((v) => typeof v === "string" || typeof v === "number");
        return { ok: true, messageId: id === undefined ? "" : String(id) };
      } catch (error) {
        console.warn(`[sms:http] sending failed: ${(error as Error).message}`);
        return { ok: false, error: "network" };
      }
    },
  };
}
