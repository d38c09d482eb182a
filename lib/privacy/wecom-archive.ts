import { newId } from "@/lib/ids";
import { writeAuditEvent, type AuditActor } from "@/lib/server/audit-write";
import type { DbClient, Tx } from "@/lib/server/prisma-client";
import type { WeComClient } from "@/lib/wecom/client";
import { clientsFor } from "@/lib/wecom/connection";
import { loadConnection } from "@/lib/wecom/settings";
import type { AgreeInfo } from "@/lib/wecom/types";
import { maskIdentifier } from "@/lib/pii";
import { CONSENT_ENTITY } from "./consents";
import { protectedIdentifiers, subjectByIdentifier } from "./subjects";

// Chat-archive consent (issue 15, item 7; docs/privacy.md "Chat-archive consent from WeCom").
// Where the company archives chats (会话内容存档), WeCom asks each customer to agree; this reads
// the answers into the consent register as its own purpose, WECOM_CHAT_ARCHIVE, so the privacy
// officer sees who agreed, who refused and when — the separate consent evidence PIPL asks for.
//
// 1. msgaudit/get_permit_user_list: the members whose chats are archived.
// 2. Their customers (externalcontact/batch/get_by_user, 100 members a call), checked in pairs with
//    msgaudit/check_single_agree (100 pairs a call); their customer groups (groupchat/list by
//    owner) checked with msgaudit/check_room_agree, one call a group.
// 3. Each answer belongs to a data subject found by the customer's external_userid (the subject's
//    WeCom id, through the keyed hash) or registered (kind CUSTOMER, the customer's name as WeCom
//    gives it, or "企业微信客户 " + the masked id for a group member). Its latest state is kept per
//    subject and member (SINGLE) or group (ROOM) in wecom_archive_agreements, and the register gets:
//    - Agree (new, or after a Disagree): a GRANT for WECOM_CHAT_ARCHIVE, channel WECOM, at WeCom's
//      status_change_time, no notice version (the agreement is WeCom's own prompt) and no expiry;
//    - Disagree after an Agree: the WITHDRAW of that grant at WeCom's time;
//    - Disagree never agreed: the refusal with its time, shown to the officer (the register holds
//      consents, so there is no grant to end);
//    - the same answer and time as last read: nothing (a re-read adds no event).
// One audit event per batch of changes. The calls use the customer-contact app's client; in
// production msgaudit answers only the chat-archive app's secret (docs/privacy.md says so).

export const ARCHIVE_PURPOSE = "WECOM_CHAT_ARCHIVE";
export const ARCHIVE_ACTOR: AuditActor = { id: null, label: "system:wecom-archive", ip: null };
const SUBJECT_CREATOR = "system:wecom-archive";
const BATCH = 100;

export type ArchiveCounts = { members: number; pairs: number; rooms: number; answers: number; subjectsCreated: number; granted: number; withdrawn: number; refused: number; unchanged: number; calls: number };

type Answer = { scope: "SINGLE" | "ROOM"; context: string; externalUserid: string; name: string | null; agree: boolean; changedAt: Date };

const toAnswer = (scope: Answer["scope"], context: string, a: AgreeInfo, name: string | null): Answer | null => {
  if (!a.exteranalopenid || (a.agree_status !== "Agree" && a.agree_status !== "Disagree")) return null;
  return { scope, context, externalUserid: a.exteranalopenid, name, agree: a.agree_status === "Agree", changedAt: new Date((a.status_change_time || 0) * 1000) };
};

async function subjectFor(tx: Tx, a: Answer, counts: ArchiveCounts): Promise<string> {
  const found = await subjectByIdentifier(tx, "wecomId", a.externalUserid);
  if (found) return found.id;
  const identifiers = await protectedIdentifiers(tx, { wecomId: a.externalUserid });
  // protectedIdentifiers locked the identifier: a concurrent read registered it meanwhile?
  const again = await subjectByIdentifier(tx, "wecomId", a.externalUserid);
  if (again) return again.id;
  const subject = await tx.dataSubject.create({ data: { kind: "CUSTOMER", name: a.name?.trim() || `企业微信客户 ${maskIdentifier(a.externalUserid)}`, createdById: SUBJECT_CREATOR, ...identifiers } });
  await writeAuditEvent(tx, ARCHIVE_ACTOR, { action: "dataSubject.create", entityType: "DataSubject", entityId: subject.id, after: { kind: "CUSTOMER", name: subject.name, wecomId: subject.wecomIdMask, source: "wecom.msgaudit" } });
  counts.subjectsCreated++;
  return subject.id;
}

/** Applies one batch of answers (at most 100) in one transaction. */
async function applyAnswers(prisma: DbClient, answers: Answer[], counts: ArchiveCounts, now: Date): Promise<void> {
  if (answers.length === 0) return;
  await prisma.$transaction(
    async (tx) => {
      const changes: { subjectId: string; scope: string; context: string; change: string; eventId: string | null; at: Date }[] = [];
      for (const a of answers) {
        counts.answers++;
        const subjectId = await subjectFor(tx, a, counts);
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`wecom-archive:${subjectId}:${a.scope}:${a.context}`}))`;
        const row = await tx.weComArchiveAgreement.findUnique({ where: { subjectId_scope_context: { subjectId, scope: a.scope, context: a.context } } });
        const status = a.agree ? "AGREE" : "DISAGREE";
        if (row && row.status === status && row.changedAt.getTime() === a.changedAt.getTime()) {
          counts.unchanged++;
          await tx.weComArchiveAgreement.update({ where: { id: row.id }, data: { lastReadAt: now } });
          continue;
        }
        let consentId = row?.consentId ?? null;
        const activeGrant = row?.status === "AGREE" && consentId ? consentId : null;
        if (activeGrant && (!a.agree || row!.changedAt.getTime() !== a.changedAt.getTime())) {
          // Agree → Disagree (or a new Agree after a Disagree WeCom reported between two reads):
          // the earlier grant ends at WeCom's time.
          const w = await tx.consentEvent.createMany({
            data: [{ kind: "WITHDRAW", consentId: activeGrant, subjectId, channel: "WECOM", note: "企业微信会话内容存档：客户不同意", occurredAt: a.changedAt, source: "WECOM", dedupeKey: `${activeGrant}:WITHDRAW` }],
            skipDuplicates: true,
          });
          if (w.count > 0) {
            counts.withdrawn++;
            changes.push({ subjectId, scope: a.scope, context: a.context, change: "withdraw", eventId: activeGrant, at: a.changedAt });
          }
        }
        if (a.agree) {
          const grant = await tx.consentEvent.create({
            data: {
              kind: "GRANT",
              subjectId,
              purposes: [ARCHIVE_PURPOSE],
              categories: [],
              separateConsents: [],
              channel: "WECOM",
              method: "企业微信会话内容存档同意",
              evidenceRef: `wecom:msgaudit:${a.scope === "SINGLE" ? "single" : "room"}:${a.context}`,
              occurredAt: a.changedAt,
              expiresAt: null,
              source: "WECOM",
              dedupeKey: `wecom-archive:${subjectId}:${a.scope}:${a.context}:${a.changedAt.toISOString()}`,
            },
          });
          consentId = grant.id;
          counts.granted++;
          changes.push({ subjectId, scope: a.scope, context: a.context, change: "grant", eventId: grant.id, at: a.changedAt });
        } else if (!activeGrant) {
          counts.refused++;
          changes.push({ subjectId, scope: a.scope, context: a.context, change: "refused", eventId: null, at: a.changedAt });
        }
        await tx.weComArchiveAgreement.upsert({
          where: { subjectId_scope_context: { subjectId, scope: a.scope, context: a.context } },
          create: { id: newId(), subjectId, scope: a.scope, context: a.context, status, changedAt: a.changedAt, consentId, firstReadAt: now, lastReadAt: now },
          update: { status, changedAt: a.changedAt, consentId, lastReadAt: now },
        });
      }
      if (changes.length > 0) await writeAuditEvent(tx, ARCHIVE_ACTOR, { action: "consent.wecomArchive", entityType: CONSENT_ENTITY, entityId: "*", after: { purpose: ARCHIVE_PURPOSE, changes: changes.slice(0, 200), more: Math.max(0, changes.length - 200) } });
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

/** Reads every archived member's customers' and groups' agreement from WeCom into the register. */
export async function readArchiveConsent(
  prisma: DbClient,
  clients: { archive: WeComClient; customers: WeComClient },
  options: { now?: Date; log?: (line: string) => void } = {},
): Promise<ArchiveCounts> {
  // The chat-archive APIs (msgaudit/*) answer only the chat-archive app's secret (会话内容存档
  // Secret); the members' customers and groups come from the customer-contact app.
  const { archive, customers } = clients;
  const now = options.now ?? new Date();
  const log = options.log ?? (() => undefined);
  const callsBefore = archive.calls + customers.calls;
  const counts: ArchiveCounts = { members: 0, pairs: 0, rooms: 0, answers: 0, subjectsCreated: 0, granted: 0, withdrawn: 0, refused: 0, unchanged: 0, calls: 0 };
  const members = [...new Set((await archive.permitUserList()).ids ?? [])].sort();
  counts.members = members.length;

  for (let i = 0; i < members.length; i += BATCH) {
    const chunk = members.slice(i, i + BATCH);
    // Single chats: each member and each of their customers.
    const pairs: { userid: string; externalUserid: string; name: string | null }[] = [];
    for await (const page of customers.contactsOf(chunk)) {
      for (const c of page) if (chunk.includes(c.follow_info.userid)) pairs.push({ userid: c.follow_info.userid, externalUserid: c.external_contact.external_userid, name: c.external_contact.name ?? null });
    }
    counts.pairs += pairs.length;
    for (let k = 0; k < pairs.length; k += BATCH) {
      const batch = pairs.slice(k, k + BATCH);
      const names = new Map(batch.map((p) => [`${p.userid}\u0000${p.externalUserid}`, p.name]));
      const info = (await archive.checkSingleAgree(batch)).agreeinfo ?? [];
      await applyAnswers(prisma, info.map((a) => toAnswer("SINGLE", a.userid ?? "", a, names.get(`${a.userid}\u0000${a.exteranalopenid}`) ?? null)).filter((a): a is Answer => a !== null && a.context !== ""), counts, now);
    }
    // Group chats the members own.
    for await (const groups of customers.allGroupChats({ owner_filter: { userid_list: chunk } })) {
      for (const g of groups) {
        counts.rooms++;
        const info = (await archive.checkRoomAgree(g.chat_id)).agreeinfo ?? [];
        await applyAnswers(prisma, info.map((a) => toAnswer("ROOM", g.chat_id, a, null)).filter((a): a is Answer => a !== null), counts, now);
      }
    }
  }
  counts.calls = archive.calls + customers.calls - callsBefore;
  log(`[wecom-archive] ${counts.answers} answer(s) from ${counts.members} member(s) and ${counts.rooms} group(s): ${counts.granted} granted, ${counts.withdrawn} withdrawn, ${counts.refused} refused, ${counts.unchanged} unchanged`);
  return counts;
}

export type ArchiveRow = { id: string; subjectId: string; subjectName: string; scope: string; context: string; status: string; changedAt: Date; lastReadAt: Date };

/** The officer's list: the latest answers, refusals first when asked. */
export async function archiveAgreements(client: DbClient | Tx, filter: { status?: "AGREE" | "DISAGREE"; take?: number } = {}): Promise<{ rows: ArchiveRow[]; agreed: number; refused: number; lastReadAt: Date | null }> {
  const [rows, agreed, refused, last] = await Promise.all([
    client.weComArchiveAgreement.findMany({ where: filter.status ? { status: filter.status } : {}, include: { subject: { select: { name: true } } }, orderBy: [{ changedAt: "desc" }, { id: "asc" }], take: filter.take ?? 50 }),
    client.weComArchiveAgreement.count({ where: { status: "AGREE" } }),
    client.weComArchiveAgreement.count({ where: { status: "DISAGREE" } }),
    client.weComArchiveAgreement.aggregate({ _max: { lastReadAt: true } }),
  ]);
  return { rows: rows.map((r) => ({ id: r.id, subjectId: r.subjectId, subjectName: r.subject.name, scope: r.scope, context: r.context, status: r.status, changedAt: r.changedAt, lastReadAt: r.lastReadAt })), agreed, refused, lastReadAt: last._max.lastReadAt };
}

/** The scheduled job (and "read now"): when the chat-archive and customer-contact secrets are set. */
export async function runArchiveConsentJob(prisma: DbClient, log: (line: string) => void = console.log): Promise<ArchiveCounts | null> {
  const { archive, customers } = clientsFor(prisma, await loadConnection(prisma));
  if (!archive || !customers) return null;
  return readArchiveConsent(prisma, { archive, customers }, { log });
}
