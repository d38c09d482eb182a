import { decrypt, encrypt } from "@/lib/pii";
import type { ActionContext } from "@/lib/server/action";
import type { DbClient, Tx } from "@/lib/server/prisma-client";
import { stale } from "@/lib/server/errors";
import { DEFAULT_BASE_URL } from "./client";
import type { SettingsInput } from "./schemas";

// The connection settings, one row. Secrets (the two app secrets, the callback token and the
// EncodingAESKey) are encrypted with lib/pii and leave this module only through `loadConnection`,
// which the server-side client and callback use; `loadSettingsView` — what pages get — carries only
// whether each is set and its last four characters. Audit events say which secret changed, never
// its value.

export const SECRET_FIELDS = ["contactSecret", "customerSecret", "archiveSecret", "callbackToken", "encodingAesKey"] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];
const COLUMNS = {
  contactSecret: { cipher: "contactSecretCipher", last4: "contactSecretLast4" },
  customerSecret: { cipher: "customerSecretCipher", last4: "customerSecretLast4" },
  archiveSecret: { cipher: "archiveSecretCipher", last4: "archiveSecretLast4" },
  callbackToken: { cipher: "callbackTokenCipher", last4: "callbackTokenLast4" },
  encodingAesKey: { cipher: "encodingAesKeyCipher", last4: "encodingAesKeyLast4" },
} as const;

export type SettingsView = {
  version: number;
  corpId: string;
  agentId: string;
  apiBaseUrl: string;
  callsPerMinute: number;
  leaverAction: "OPEN_CASE" | "HR_TASK";
  updatedAt: Date | null;
  secrets: Record<SecretField, { set: boolean; last4: string | null }>;
};

const DEFAULTS = { id: "default" };

async function row(client: DbClient | Tx) {
  return client.weComSettings.findUnique({ where: { id: "default" } });
}

/** What the settings page shows: no secret, only whether it is set and how it ends. */
export async function loadSettingsView(client: DbClient | Tx): Promise<SettingsView> {
  const r = await row(client);
  const secrets = Object.fromEntries(SECRET_FIELDS.map((f) => [f, { set: Boolean(r?.[COLUMNS[f].cipher]), last4: r?.[COLUMNS[f].cipher] ? (r[COLUMNS[f].last4] ?? null) : null }])) as SettingsView["secrets"];
  return {
    version: r?.version ?? 1,
    corpId: r?.corpId ?? "",
    agentId: r?.agentId ?? "",
    apiBaseUrl: r?.apiBaseUrl ?? DEFAULT_BASE_URL,
    callsPerMinute: r?.callsPerMinute ?? 9000,
    leaverAction: r?.leaverAction === "HR_TASK" ? "HR_TASK" : "OPEN_CASE",
    updatedAt: r?.updatedAt ?? null,
    secrets,
  };
}

export type Connection = {
  corpId: string;
  agentId: string;
  apiBaseUrl: string;
  callsPerMinute: number;
  contactSecret: string | null;
  customerSecret: string | null;
  /** The chat-archive app's secret (会话内容存档): msgaudit/* answer only it. */
  archiveSecret: string | null;
  callbackToken: string | null;
  encodingAesKey: string | null;
};

/** The decrypted connection, for the server-side client and the callback only. */
export async function loadConnection(client: DbClient | Tx): Promise<Connection> {
  const r = await row(client);
  const open = (f: SecretField) => {
    const cipher = r?.[COLUMNS[f].cipher];
    return cipher ? decrypt(cipher) : null;
  };
  return {
    corpId: r?.corpId ?? "",
    agentId: r?.agentId ?? "",
    apiBaseUrl: r?.apiBaseUrl ?? DEFAULT_BASE_URL,
    callsPerMinute: r?.callsPerMinute ?? 9000,
    contactSecret: open("contactSecret"),
    customerSecret: open("customerSecret"),
    archiveSecret: open("archiveSecret"),
    callbackToken: open("callbackToken"),
    encodingAesKey: open("encodingAesKey"),
  };
}

/** Saves the form: plain fields replaced, a given secret encrypted, an empty one kept, "clear" removes. */
export async function saveSettings(ctx: ActionContext<SettingsInput>): Promise<{ version: number }> {
  const { input, tx, actor } = ctx;
  const before = await loadSettingsView(tx);
  const current = await row(tx);
  if ((current?.version ?? 1) !== input.version) throw stale();
  const data: Record<string, string | number | null> = {
    corpId: input.corpId,
    agentId: input.agentId,
    apiBaseUrl: input.apiBaseUrl.replace(/\/+$/, ""),
    callsPerMinute: input.callsPerMinute,
    leaverAction: input.leaverAction,
    updatedById: actor.id,
  };
  const changed: SecretField[] = [];
  for (const f of SECRET_FIELDS) {
    const value = input[f];
    if (value) {
      data[COLUMNS[f].cipher] = encrypt(value);
      data[COLUMNS[f].last4] = value.slice(-4);
      changed.push(f);
    } else if (input.clear.includes(f)) {
      data[COLUMNS[f].cipher] = null;
      data[COLUMNS[f].last4] = null;
      changed.push(f);
    }
  }
  let saved: { version: number };
  if (!current) {
    saved = await tx.weComSettings.create({ data: { ...DEFAULTS, ...data, version: 2 }, select: { version: true } });
  } else {
    const n = await tx.weComSettings.updateMany({ where: { id: "default", version: input.version }, data: { ...data, version: { increment: 1 } } });
    if (n.count === 0) throw stale();
    saved = { version: input.version + 1 };
  }
  const after = await loadSettingsView(tx);
  // Secrets appear in the audit only as "set"/"ends with", the same as on the page.
  const shown = (v: SettingsView) => ({ corpId: v.corpId, agentId: v.agentId, apiBaseUrl: v.apiBaseUrl, callsPerMinute: v.callsPerMinute, leaverAction: v.leaverAction, secrets: v.secrets });
  await ctx.audit({ action: "wecom.settings.update", entityType: "WeComSettings", entityId: "default", before: shown(before), after: { ...shown(after), secretsChanged: changed } });
  return saved;
}
