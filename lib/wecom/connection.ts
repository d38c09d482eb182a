import type { DbClient } from "@/lib/server/prisma-client";
import { WeComClient } from "./client";
import { WeComError } from "./errors";
import { Pacer } from "./pacer";
import { loadConnection, type Connection } from "./settings";

// Clients for the saved connection: one per app secret, sharing one pacer per company in this
// process so the contact-sync and customer-contact calls together keep to the budget.

const pacers = new Map<string, Pacer>();
function pacerFor(conn: Connection): Pacer {
  let p = pacers.get(conn.corpId);
  if (!p) pacers.set(conn.corpId, (p = new Pacer(conn.callsPerMinute)));
  p.callsPerMinute = conn.callsPerMinute;
  return p;
}

export function clientsFor(prisma: DbClient, conn: Connection): { contacts: WeComClient | null; customers: WeComClient | null; archive: WeComClient | null } {
  const make = (secret: string | null, app: string) => (conn.corpId && secret ? new WeComClient({ prisma, baseUrl: conn.apiBaseUrl, corpId: conn.corpId, secret, app, pacer: pacerFor(conn) }) : null);
  return { contacts: make(conn.contactSecret, "contacts"), customers: make(conn.customerSecret, "customers"), archive: make(conn.archiveSecret, "archive") };
}

export type ConnectionCheck = { app: "contacts" | "customers"; ok: boolean; errcode: number | null; failure: string | null; zh: string; en: string; count: number | null };

/**
 * "Test connection": for each configured secret, one real call (department/simplelist with the
 * contact-sync secret, get_follow_user_list with the customer-contact secret) and what WeCom
 * answered, explained from its errcode.
 */
export async function testConnection(prisma: DbClient): Promise<ConnectionCheck[]> {
  const conn = await loadConnection(prisma);
  const clients = clientsFor(prisma, conn);
  const out: ConnectionCheck[] = [];
  const run = async (app: "contacts" | "customers", client: WeComClient | null, call: (c: WeComClient) => Promise<number>) => {
    if (!client) {
      const e = new WeComError("NOT_CONFIGURED", "/");
      out.push({ app, ok: false, errcode: null, failure: "NOT_CONFIGURED", zh: e.zh, en: e.en, count: null });
      return;
    }
    try {
      const count = await call(client);
      out.push({ app, ok: true, errcode: 0, failure: null, zh: `连接正常：企业微信返回 errcode 0（${count} 条）。`, en: `Connected: WeCom answered errcode 0 (${count} rows).`, count });
    } catch (e) {
      if (!(e instanceof WeComError)) throw e;
      out.push({ app, ok: false, errcode: e.errcode, failure: e.kind, zh: e.errcode !== null ? `企业微信返回 errcode ${e.errcode}：${e.zh}` : e.zh, en: e.errcode !== null ? `WeCom answered errcode ${e.errcode}: ${e.en}` : e.en, count: null });
    }
  };
  await run("contacts", clients.contacts, async (c) => (await c.departmentSimpleList()).department_id.length);
  await run("customers", clients.customers, async (c) => (await c.followUserList()).follow_user.length);
  return out;
}
