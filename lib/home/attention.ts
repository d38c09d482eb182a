import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { approvalAttentionQuery } from "@/lib/approvals/attention";
import { calendarAttentionQuery } from "@/lib/calendar/attention";
import { contentAttentionQuery } from "@/lib/content/attention";
import { groupAttentionQuery } from "@/lib/groups/attention";
import { notificationAttentionQuery } from "@/lib/notifications/attention";
import { offboardingAttentionQuery } from "@/lib/offboarding/attention";
import { privacyAttentionQuery } from "@/lib/privacy/attention";
import type { Actor } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import type { Tx } from "@/lib/server/prisma-client";
import { serviceAttentionQuery } from "@/lib/service/attention";
import { trainingAttentionFrom } from "@/lib/training/attention";
import { runAttentionQueries, type AttentionQuery } from "./attention-query";

export type AttentionItem = { key: string; labelKey: string; params?: Record<string, string | number>; href: string };

/** A capability's source: a statement the home page runs with the others in one (query), or its
 * own reads (read). */
type Source = { query: (actor: Actor, now: Date) => AttentionQuery<never> | null } | { read: (actor: Actor, client: Tx, now: Date) => Promise<AttentionItem[]> };

// One line per capability (kept one per line so capabilities added side by side merge cleanly),
// in the order their items are listed.
const SOURCES: Source[] = [
  { query: approvalAttentionQuery },
  { query: groupAttentionQuery },
  { query: offboardingAttentionQuery },
  { query: (a) => notificationAttentionQuery(a) },
  { query: serviceAttentionQuery },
  { query: privacyAttentionQuery },
  { read: trainingAttentionFrom },
  { query: contentAttentionQuery },
  { query: calendarAttentionQuery },
];

/**
 * What needs the signed-in person's attention, gathered from each capability (approvals waiting
 * on them, overdue reviews, handovers, training due...), and the name of their department (the
 * page's header). Every source given as a statement runs in one statement with the department's
 * name: one round trip for them all (docs/performance.md, fourth session); the others run beside it.
 */
export async function homeAttention(actor: Actor, client: Tx = db(), now = new Date()): Promise<{ items: AttentionItem[]; departmentName: string | null }> {
  const queries = SOURCES.map((s) => ("query" in s ? s.query(actor, now) : null));
  const [combined, ...reads] = await Promise.all([
    runAttentionQueries<{ department: string | null }>(client, queries, Prisma.sql`(SELECT name FROM departments WHERE id = ${actor.departmentId}) AS department`),
    ...SOURCES.map((s) => ("read" in s ? s.read(actor, client, now) : null)),
  ]);
  const items = SOURCES.flatMap((s, i) => ("query" in s ? combined.items[i] : (reads[i] ?? [])));
  return { items, departmentName: combined.extra.department };
}
