import type { DbClient } from "@/lib/server/prisma-client";
import { clientsFor } from "@/lib/wecom/connection";
import { isTransient, WeComError } from "@/lib/wecom/errors";
import { loadConnection } from "@/lib/wecom/settings";
import type { Rendered } from "./render";

// WeCom app messages (message/send, a text card) and group robots (webhook/send). The app message
// goes with the self-built app's token — the app whose secret 设置 → 企业微信连接 calls 客户联系
// Secret, the same app WeCom sign-in uses (docs/sign-in.md "Which secret") — and its agent id.
// enable_duplicate_check makes WeCom drop an identical card within 30 minutes: a delivery resent
// after a worker died mid-send does not reach the person twice.

export type ChannelOutcome = { ok: true; providerId: string | null; invalid?: string[] } | { ok: false; permanent: boolean; detail: string };

/** One text card to up to 1,000 members (touser "a|b|…"). WeCom answers a partial success with the
 * members it could not reach (invaliduser): returned so each is recorded on their own; when none
 * was reached it is a failure for all ("invaliduser", or errcode 81013). */
export async function sendAppMessage(prisma: DbClient, userids: readonly string[], card: Rendered): Promise<ChannelOutcome> {
  const conn = await loadConnection(prisma);
  const client = clientsFor(prisma, conn).customers;
  const agentid = Number(conn.agentId);
  if (!client || !Number.isInteger(agentid) || agentid <= 0) return { ok: false, permanent: true, detail: "wecom-not-configured" };
  try {
    const r = await client.call<{ invaliduser?: string; msgid?: string }>("POST", "/message/send", {
      body: {
        touser: userids.join("|"),
        msgtype: "textcard",
        agentid,
        textcard: { title: card.title, description: card.description, url: card.url, btntxt: "详情" },
        enable_duplicate_check: 1,
        duplicate_check_interval: 1800,
      },
    });
    const invalid = (r.invaliduser ?? "").split("|").filter(Boolean);
    if (userids.every((u) => invalid.includes(u))) return { ok: false, permanent: true, detail: "invaliduser" };
    return { ok: true, providerId: r.msgid ?? null, invalid };
  } catch (e) {
    return failure(e);
  }
}

function failure(e: unknown): ChannelOutcome {
  if (e instanceof WeComError) return { ok: false, permanent: !isTransient(e), detail: e.kind === "API" ? `errcode ${e.errcode}` : `wecom ${e.kind}` };
  return { ok: false, permanent: false, detail: `error: ${(e as Error)?.message ?? String(e)}`.slice(0, 300) };
}

/** A group robot's message (markdown, ≤ 4096 bytes). The robot's own address: the WeCom API base
 * of the saved connection (the simulator in tests) with its key. */
export async function sendRobotMessage(prisma: DbClient, key: string, markdown: string, fetchImpl: typeof fetch = fetch): Promise<ChannelOutcome> {
  const conn = await loadConnection(prisma);
  const url = `${conn.apiBaseUrl.replace(/\/+$/, "")}/cgi-bin/webhook/send?key=${encodeURIComponent(key)}`;
  try {
    const res = await fetchImpl(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ msgtype: "markdown", markdown: { content: markdown } }), redirect: "manual", signal: AbortSignal.timeout(10_000) });
    if (res.status >= 500) return { ok: false, permanent: false, detail: `http ${res.status}` };
    const json = (await res.json().catch(() => null)) as { errcode?: unknown } | null;
    if (!json || typeof json.errcode !== "number") return { ok: false, permanent: false, detail: `malformed (http ${res.status})` };
    if (json.errcode === 0) return { ok: true, providerId: null };
    // 45009 (over 20 a minute) and -1 (busy): later; anything else (93000 a wrong key): for good.
    return { ok: false, permanent: !(json.errcode === 45009 || json.errcode === -1), detail: `errcode ${json.errcode}` };
  } catch (e) {
    return failure(e);
  }
}
