import type pg from "pg";
import { addWorkingDays, type CalendarDefinition } from "@/lib/calendar";
import { encrypt, hashValue, maskPhone, type PiiKeyring } from "@/lib/pii";
import { dueAfter, matchPolicy, type CaseType, type Priority, type ServiceChannel } from "@/lib/service/sla";

// The generator's steps for the capabilities that came after the first ones: service cases with
// their due times from the calendar module, the consent register with encrypted subject
// identifiers, and training assignments with policy acknowledgements. Same rules as generate.ts:
// set-based SQL where the database can do it, the product's own modules where it must.

export type DomainContext = {
  client: pg.Client;
  now: Date;
  ring: PiiKeyring;
  calendar: { id: string; definition: CalendarDefinition };
  employees: number;
  log: (line: string) => void;
};

const DAY = 86_400_000;
/** Deterministic pseudo-random integer in [0, m) from an index and a salt (as generate.ts's h()). */
const h = (i: number, k: number, m: number) => Number((BigInt(i) * BigInt(2654435761 + k * 40503) + BigInt(k * 97)) % BigInt(m));
const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗";
const GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞", "平", "刚"];
const nameOf = (i: number) => `${SURNAMES[h(i, 61, SURNAMES.length)]}${GIVEN[h(i, 62, GIVEN.length)]}`;

async function insertBatches(client: pg.Client, sql: string, columns: unknown[][], batch = 10_000): Promise<void> {
  const n = columns[0].length;
  for (let start = 0; start < n; start += batch) await client.query(sql, columns.map((c) => c.slice(start, start + batch)));
}

// ---------------------------------------------------------------------------------------------
// Service cases: 300,000 at scale 1 over the last year; most answered and resolved within target,
// about one in ten late, the last two days' cases partly still open (a few of them breached).

export async function generateServiceCases(ctx: DomainContext, count: number): Promise<number> {
  const { client, now, calendar } = ctx;
  const policies = (
    await client.query<{ id: string; name: string; position: number; channel: ServiceChannel | null; case_type: CaseType | null; priority: Priority | null; first_response_minutes: number; resolution_minutes: number; active: boolean }>(
      "SELECT id, name, position, channel::text AS channel, case_type::text AS case_type, priority::text AS priority, first_response_minutes, resolution_minutes, active FROM sla_policies",
    )
  ).rows.map((p) => ({ ...p, caseType: p.case_type }));
  const staff = (await client.query<{ id: string; department_id: string }>("SELECT id, department_id FROM employees WHERE id LIKE 'lgemp%' AND status <> 'DEPARTED' ORDER BY id")).rows;
  const channels: ServiceChannel[] = ["WECOM_CONTACT", "WECOM_CONTACT", "WECHAT_OA", "WECHAT_GROUP", "MINI_PROGRAM", "PHONE"];
  const cols = Array.from({ length: 27 }, () => [] as unknown[]);
  const push = (...values: unknown[]) => values.forEach((v, i) => cols[i].push(v));
  for (let k = 0; k < count; k++) {
    const agent = staff[h(k, 51, staff.length)];
    const typeRoll = h(k, 52, 100);
    const caseType: CaseType = typeRoll < 70 ? "INQUIRY" : typeRoll < 85 ? "COMPLAINT" : "SUGGESTION";
    const pr = h(k, 53, 100);
    const priority: Priority = pr < 15 ? "LOW" : pr < 75 ? "NORMAL" : pr < 93 ? "HIGH" : "URGENT";
    const channel = channels[h(k, 54, channels.length)];
    const policy = matchPolicy(policies, { channel, caseType, priority })!;
    // Received: spread over the last 365 days, newest last.
    const receivedAt = new Date(Math.min(now.getTime() - 60_000, now.getTime() - 365 * DAY + Math.floor((365 * DAY * k) / count) - h(k, 55, 3_600_000)));
    const frDue = dueAfter(calendar.definition, "BUSINESS", receivedAt, policy.first_response_minutes);
    const resDue = dueAfter(calendar.definition, "BUSINESS", receivedAt, policy.resolution_minutes);
    const recent = now.getTime() - receivedAt.getTime() < 2 * DAY;
    const late = h(k, 56, 10) === 0;
    // Elapsed working time as a fraction of the target: on time 20–95 %, late 105–200 %.
    const frFraction = late ? 1.05 + h(k, 57, 95) / 100 : 0.2 + h(k, 57, 75) / 100;
    const resFraction = h(k, 58, 12) === 0 ? 1.05 + h(k, 59, 95) / 100 : 0.2 + h(k, 59, 75) / 100;
    let frAt: Date | null = dueAfter(calendar.definition, "BUSINESS", receivedAt, policy.first_response_minutes * frFraction);
    let resAt: Date | null = dueAfter(calendar.definition, "BUSINESS", receivedAt, policy.resolution_minutes * resFraction);
    if (frAt > now || (recent && h(k, 60, 10) < 3)) frAt = null;
    if (!frAt || resAt > now || (recent && h(k, 60, 10) < 6)) resAt = null;
    const status = resAt ? (h(k, 63, 10) < 8 ? "CLOSED" : "RESOLVED") : "OPEN";
    const closedAt = status === "CLOSED" && resAt ? new Date(resAt.getTime() + 3_600_000) : null;
    const confirmed = status === "CLOSED";
    push(
      `lgcase${String(k + 1).padStart(8, "0")}`,
      `${caseType === "COMPLAINT" ? "投诉" : caseType === "INQUIRY" ? "咨询" : "建议"} #${k + 1}`,
      nameOf(k),
      channel,
      caseType,
      priority,
      agent.department_id,
      h(k, 64, 20) === 0 ? null : agent.id,
      policy.id,
      policy.name,
      calendar.id,
      policy.first_response_minutes,
      policy.resolution_minutes,
      receivedAt.toISOString(),
      frDue.toISOString(),
      resDue.toISOString(),
      frAt?.toISOString() ?? null,
      resAt?.toISOString() ?? null,
      closedAt?.toISOString() ?? null,
      frAt ? Math.round(policy.first_response_minutes * frFraction * 60) : null,
      resAt ? Math.round(policy.resolution_minutes * resFraction * 60) : null,
      status,
      status === "OPEN" ? (frAt ? resDue : frDue).toISOString() : null,
      status === "OPEN" ? (frAt ? "RESOLUTION" : "FIRST_RESPONSE") : null,
      confirmed ? "CONFIRMED" : null,
      confirmed && closedAt ? closedAt.toISOString() : null,
      agent.id,
    );
  }
  await insertBatches(
    client,
    `INSERT INTO service_cases (id, title, customer_name, channel, case_type, priority, team_id, assignee_id, policy_id, policy_name, clock, calendar_id,
                                first_response_minutes, resolution_minutes, received_at, first_response_due_at, resolution_due_at, first_response_at, resolved_at, closed_at,
                                first_response_seconds, resolution_seconds, status, next_due_at, next_target, closure, confirmed_at, created_by_id, updated_at)
     SELECT id, title, cn, ch::"ServiceChannel", ct::"ServiceCaseType", pr::"ServicePriority", team, asg, pol, pn, 'BUSINESS'::"SlaClock", cal, frm, rsm,
            rcv::timestamptz, frd::timestamptz, rsd::timestamptz, fra::timestamptz, rsa::timestamptz, cla::timestamptz, frs, rss, st::"ServiceCaseStatus",
            nd::timestamptz, nt::"ServiceTarget", clo::"ServiceClosure", cfa::timestamptz, cb, now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::int[], $13::int[],
                   $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::int[], $21::int[], $22::text[], $23::text[], $24::text[], $25::text[], $26::text[], $27::text[])
         AS u(id, title, cn, ch, ct, pr, team, asg, pol, pn, cal, frm, rsm, rcv, frd, rsd, fra, rsa, cla, frs, rss, st, nd, nt, clo, cfa, cb)`,
    cols,
    20_000,
  );
  return count;
}

// ---------------------------------------------------------------------------------------------
// Consents: one published notice; subjects with encrypted phone numbers (through lib/pii, so the
// portal finds them by exact number); 1,000,000 grants at scale 1 over three years with a two-year
// retention, 4 % withdrawn, 3 % renewed.

export async function generateConsents(ctx: DomainContext, count: number): Promise<{ subjects: number; grants: number; followUps: number; requests: number }> {
  const { client, now, ring, calendar } = ctx;
  const notice = "lgnotice0000000000000001";
  await client.query(
    `INSERT INTO privacy_notices (id, notice_key, notice_version, status, title, processor_name, processor_contact, purposes, purpose_codes, methods, categories, retention_days, rights_text, separate_consents, created_by_id, published_at, published_by_id, updated_at)
     VALUES ($1, 'customer-service', 1, 'PUBLISHED', '客户服务个人信息处理告知', '示例科技有限公司', 'privacy@wegovern.demo',
             '[{"code":"SERVICE","description":"提供咨询与售后服务"},{"code":"MARKETING","description":"推送产品和活动信息"}]', '["SERVICE","MARKETING"]', '收集、存储、使用',
             '[{"code":"CONTACT","name":"联系方式","sensitive":false},{"code":"ORDER","name":"订单信息","sensitive":false}]', 730, '可通过客服或 privacy@ 行使查阅、复制、更正、删除等权利', '[]', 'lgdemo3', $2, 'lgdemo3', $2)`,
    [notice, new Date(now.getTime() - 3 * 365 * DAY).toISOString()],
  );
  const subjects = Math.max(1, Math.round(count * 0.6));
  for (let start = 0; start < subjects; start += 20_000) {
    const n = Math.min(20_000, subjects - start);
    const idCol: string[] = [];
    const nameCol: string[] = [];
    const cipher: string[] = [];
    const hash: string[] = [];
    const mask: string[] = [];
    for (let j = 0; j < n; j++) {
      const i = start + j + 1;
      const phone = `15${String(100_000_000 + i).padStart(9, "0")}`;
      idCol.push(`lgsubj${String(i).padStart(8, "0")}`);
      nameCol.push(nameOf(i + 7));
      cipher.push(encrypt(phone, ring));
      hash.push(hashValue("phone", phone, ring));
      mask.push(maskPhone(phone));
    }
    await client.query(
      `INSERT INTO privacy_subjects (id, kind, name, phone_cipher, phone_hash, phone_mask, created_by_id, updated_at)
       SELECT id, 'CUSTOMER', n, c, h, m, 'lgdemo3', now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(id, n, c, h, m)`,
      [idCol, nameCol, cipher, hash, mask],
    );
  }
  const E = ctx.employees;
  const span = 3 * 365 * DAY;
  const r = await client.query(
    `INSERT INTO consent_events (id, kind, subject_id, notice_id, purposes, categories, separate_consents, channel, method, evidence_ref, collected_by_id, occurred_at, expires_at, source)
     SELECT 'lgcons' || lpad(g::text, 8, '0'), 'GRANT', 'lgsubj' || lpad((1 + (g - 1) % $2)::text, 8, '0'), $3,
            CASE WHEN g % 3 = 0 THEN '["SERVICE","MARKETING"]'::jsonb ELSE '["SERVICE"]'::jsonb END, '["CONTACT","ORDER"]'::jsonb, '[]'::jsonb,
            (ARRAY['WECOM','WECHAT','MINI_PROGRAM','PAPER','PHONE'])[1 + (g * 7) % 5]::"ConsentChannel", '勾选同意', 'EV-' || g,
            'lgemp' || lpad((1 + (g::bigint * 48271) % $4)::text, 7, '0'),
            $5::timestamptz - ($6::bigint * (g - 1) / $1) * interval '1 millisecond' - interval '1 hour',
            $5::timestamptz - ($6::bigint * (g - 1) / $1) * interval '1 millisecond' - interval '1 hour' + interval '730 days',
            'IMPORT'
       FROM generate_series(1, $1::int) AS g`,
    [count, subjects, notice, E, now.toISOString(), span],
  );
  // Withdrawals (4 %) some days after the grant, never in the future; renewals (3 %) for another two years.
  const w = await client.query(
    `INSERT INTO consent_events (id, kind, consent_id, subject_id, channel, occurred_at, source)
     SELECT 'lgwdrw' || substr(g.id, 7), 'WITHDRAW', g.id, g.subject_id, g.channel,
            LEAST($1::timestamptz - interval '1 minute', g.occurred_at + ((hashtext(g.id) & 255) + 1) * interval '1 day'), 'IMPORT'
       FROM consent_events g WHERE g.id LIKE 'lgcons%' AND (hashtext(g.id) & 1023) < 41`,
    [now.toISOString()],
  );
  const rn = await client.query(
    `INSERT INTO consent_events (id, kind, consent_id, subject_id, notice_id, channel, occurred_at, expires_at, source)
     SELECT 'lgrenw' || substr(g.id, 7), 'RENEW', g.id, g.subject_id, g.notice_id, g.channel,
            LEAST($1::timestamptz - interval '1 minute', g.expires_at - interval '20 days'), g.expires_at + interval '730 days', 'IMPORT'
       FROM consent_events g WHERE g.id LIKE 'lgcons%' AND (hashtext(g.id) & 1023) BETWEEN 41 AND 71 AND g.expires_at - interval '20 days' < $1::timestamptz`,
    [now.toISOString()],
  );
  // Data-subject requests: 400 over the last 60 days, due in 15 working days (capped at 30), a few overdue.
  const types = ["ACCESS", "COPY", "CORRECTION", "DELETION", "WITHDRAWAL", "EXPLANATION"];
  const requests = 400;
  const reqCols = Array.from({ length: 7 }, () => [] as unknown[]);
  for (let i = 0; i < requests; i++) {
    const received = new Date(now.getTime() - 60 * DAY + Math.floor((60 * DAY * i) / requests));
    const due = new Date(Math.min(addWorkingDays(calendar.definition, received, 15).getTime(), received.getTime() + 30 * DAY));
    const open = due > now ? h(i, 71, 10) < 8 : h(i, 71, 100) < 4;
    [`lgdsr${String(i + 1).padStart(6, "0")}`, `lgsubj${String(1 + h(i, 72, subjects)).padStart(8, "0")}`, types[i % types.length], received.toISOString(), due.toISOString(), open ? "RECEIVED" : "COMPLETED", open ? null : new Date(Math.min(due.getTime(), now.getTime()) - 3_600_000).toISOString()].forEach((v, j) => reqCols[j].push(v));
  }
  await client.query(
    `INSERT INTO privacy_requests (id, subject_id, type, received_at, due_at, status, resolution, closed_at, closed_by_id, assignee_id, created_by_id, updated_at)
     SELECT id, s, t::"PrivacyRequestType", r::timestamptz, d::timestamptz, st::"PrivacyRequestStatus", CASE WHEN c IS NOT NULL THEN '已按要求办结' END, c::timestamptz,
            CASE WHEN c IS NOT NULL THEN 'lgdemo3' END, 'lgdemo3', 'lgdemo3', now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(id, s, t, r, d, st, c)`,
    reqCols,
  );
  return { subjects, grants: r.rowCount ?? 0, followUps: (w.rowCount ?? 0) + (rn.rowCount ?? 0), requests };
}

// ---------------------------------------------------------------------------------------------
// Training: ten courses for everyone (200,000 assignments at scale 1): 85 % completed, the rest
// due, a third of those overdue; the handbook's WeChat chapter, acknowledged by nine in ten.

export async function generateTraining(ctx: DomainContext): Promise<{ courses: number; assignments: number; acknowledgements: number }> {
  const { client, now } = ctx;
  const courses = 10;
  const quiz = JSON.stringify([{ prompt: "离职时客户资源归谁？", choices: ["个人", "公司"], correct: [1] }]);
  for (let c = 1; c <= courses; c++) {
    await client.query(
      `INSERT INTO training_courses (id, code, title_zh, title_en, category, content, quiz, passing_score, audience_kind, audience, recurrence, due_working_days, created_by_id, updated_at)
       VALUES ($1, $2, $3, $4, 'compliance', '# 课程内容\n\n按公司规定使用企业微信。', $5::jsonb, 80, 'EVERYONE', '{}'::jsonb, 'YEARLY', 10, 'lgdemo1', now())`,
      [`lgcourse${String(c).padStart(4, "0")}`, `LG-${c}`, `合规课程 ${c}`, `Compliance course ${c}`, quiz],
    );
  }
  const a = await client.query(
    `INSERT INTO training_assignments (id, course_id, employee_id, cycle, current, status, source, course_version, assigned_at, due_at, attempts, score, completed_at, method, updated_at)
     SELECT 'lgta' || substr(c.id, 9) || substr(e.id, 6), c.id, e.id, 1, true,
            (CASE WHEN (hashtext(c.id || e.id) & 1023) < 870 THEN 'COMPLETED' ELSE 'ASSIGNED' END)::"TrainingAssignmentStatus", 'AUDIENCE', 1,
            $1::timestamptz - interval '90 days' + (hashtext(e.id) & 63) * interval '1 day',
            $1::timestamptz - interval '90 days' + (hashtext(e.id) & 63) * interval '1 day' + interval '14 days'
              + CASE WHEN (hashtext(c.id || e.id) & 1023) >= 870 AND (hashtext(e.id || c.id) & 3) <> 0 THEN interval '100 days' ELSE interval '0 days' END,
            CASE WHEN (hashtext(c.id || e.id) & 1023) < 870 THEN 1 ELSE 0 END,
            CASE WHEN (hashtext(c.id || e.id) & 1023) < 870 THEN 100 END,
            CASE WHEN (hashtext(c.id || e.id) & 1023) < 870 THEN $1::timestamptz - interval '60 days' + (hashtext(e.id) & 31) * interval '1 day' END,
            (CASE WHEN (hashtext(c.id || e.id) & 1023) < 870 THEN 'QUIZ' END)::"TrainingCompletionMethod", now()
       FROM training_courses c CROSS JOIN employees e
      WHERE c.id LIKE 'lgcourse%' AND e.status <> 'DEPARTED'`,
    [now.toISOString()],
  );
  await client.query(
    `INSERT INTO policy_documents (id, code, title_zh, title_en, current_version_no, updated_at) VALUES ('lgpolicy0001', 'LG-HANDBOOK-WECHAT', '员工手册·企业微信使用', 'Employee handbook: WeChat use', 1, now())`,
  );
  await client.query(
    `INSERT INTO policy_versions (id, document_id, version_no, body, due_working_days, published_at, published_by_id) VALUES ('lgpolicyv0001', 'lgpolicy0001', 1, '工作沟通使用企业微信；客户资源属于公司。', 10, $1, 'lgdemo1')`,
    [new Date(now.getTime() - 120 * DAY).toISOString()],
  );
  const k = await client.query(
    `INSERT INTO policy_acknowledgements (id, version_id, document_id, employee_id, current, asked_at, due_at, acknowledged_at, updated_at)
     SELECT 'lgack' || substr(e.id, 6), 'lgpolicyv0001', 'lgpolicy0001', e.id, true, $1::timestamptz, $1::timestamptz + interval '14 days',
            CASE WHEN (hashtext(e.id) & 1023) < 920 THEN $1::timestamptz + (hashtext(e.id) & 15) * interval '1 day' END, now()
       FROM employees e WHERE e.status <> 'DEPARTED'`,
    [new Date(now.getTime() - 120 * DAY).toISOString()],
  );
  return { courses, assignments: a.rowCount ?? 0, acknowledgements: k.rowCount ?? 0 };
}
