import type pg from "pg";
import { addWorkingDays } from "@/lib/calendar";
import { calendarDefinitionSchema } from "@/lib/calendar/schemas";
import { encrypt, hashValue, maskIdentifier, maskPhone, type PiiKeyring } from "@/lib/pii";
import { auditHash, GENESIS_HASH } from "@/lib/server/audit-hash";
import { lastWeeks } from "@/lib/dashboard/evaluate";
import { FIGURES } from "@/lib/dashboard/figures";
import { generateConsents, generateServiceCases, generateTraining } from "./domains";
import { ids, planDepartments, type DatasetPlan } from "./plan";

// The large-dataset generator behind `npm run seed:large` (issue 9): a realistic company at a
// chosen scale, written straight into PostgreSQL with set-based INSERT … SELECT over
// generate_series (one statement per few hundred thousand rows), so scale 1 loads in minutes.
// Values that must be computed by the product's own modules are: encrypted identifiers (lib/pii,
// so the portal can read them), approval due times (lib/calendar) and the audit trail's hash
// chain (lib/server/audit-hash, so `npm run audit:verify` passes on the result).
//
// Pseudo-random choices are a multiplicative hash of the row number (h(g, k) below), so the
// same scale always gives the same company.

export type GenerateOptions = {
  now: Date;
  ring: PiiKeyring;
  /** argon2 hash of the demo password, for the demo sign-ins placed in the generated company. */
  passwordHash: string;
  log: (line: string) => void;
};

export type GenerateSummary = Record<string, number>;

const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈";
const GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "晨", "鹏", "宇", "浩", "欣", "婷", "子涵"];
const PURPOSES = ["客户服务", "项目协作", "售后支持", "渠道沟通", "活动运营", "交付跟进", "培训答疑", "投诉处理"];

/** SQL for a pseudo-random integer in [0, m) from row number g and salt k. */
const h = (g: string, k: number, m: number) => `mod((${g})::bigint * ${2654435761 + k * 40503}::bigint + ${k * 97}, ${m})`;
const sqlArray = (values: readonly string[]) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(",")}]`;
const surnameSql = (g: string, k: number) => `substr('${SURNAMES}', 1 + ${h(g, k, SURNAMES.length)}::int, 1)`;
const givenSql = (g: string, k: number) => `(${sqlArray(GIVEN)})[1 + ${h(g, k + 1, GIVEN.length)}::int]`;

async function timed<T extends number>(log: (line: string) => void, label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const rows = await work();
  const seconds = (performance.now() - started) / 1000;
  log(`${label}: ${rows.toLocaleString("en-US")} rows in ${seconds.toFixed(1)} s (${Math.round(rows / Math.max(seconds, 0.001)).toLocaleString("en-US")} rows/s)`);
  return rows;
}

export const DEMO_PLACEMENT = {
  "admin@wegovern.demo": { dept: 0, roles: ["ADMIN", "EMPLOYEE"] },
  "hr@wegovern.demo": { dept: 0, roles: ["HR", "EMPLOYEE"] },
  "privacy@wegovern.demo": { dept: 0, roles: ["PRIVACY_OFFICER", "EMPLOYEE"] },
  "auditor@wegovern.demo": { dept: 0, roles: ["AUDITOR", "EMPLOYEE"] },
  // manager@ runs the first division (about a third of the company), south.manager@ the second.
  "manager@wegovern.demo": { dept: 1, roles: ["MANAGER", "EMPLOYEE"] },
  "south.manager@wegovern.demo": { dept: 2, roles: ["MANAGER", "EMPLOYEE"] },
} as const;

export async function generateLargeDataset(client: pg.Client, plan: DatasetPlan, options: GenerateOptions): Promise<GenerateSummary> {
  const { log, now } = options;
  const existing = await client.query<{ n: string }>("SELECT count(*)::text AS n FROM employees");
  if (Number(existing.rows[0].n) > 0) throw new Error("The database already has employees: the large dataset is generated into an empty, migrated database only.");
  await client.query("SET synchronous_commit = off");
  const summary: GenerateSummary = {};
  const nowIso = now.toISOString();

  // --- Departments -----------------------------------------------------------------------------
  const depts = planDepartments(plan.departments, plan.employees);
  const paths: string[] = [];
  for (const d of depts) paths[d.index] = `${d.parentIndex === null ? "/" : paths[d.parentIndex]}${ids.department(d.index)}/`;
  const deptName = (d: (typeof depts)[number], i: number) =>
    d.depth === 0 ? "总公司" : d.depth === 1 ? `第${i}事业部` : d.depth === 2 ? `${["销售", "服务", "运营", "产品", "渠道"][i % 5]}${i}部` : `${["华东", "华南", "华北", "西南", "华中", "东北"][i % 6]}${i}组`;
  summary.departments = await timed(log, "departments", async () => {
    await client.query(
      `INSERT INTO departments (id, name, code, parent_id, path, depth, updated_at)
       SELECT id, name, code, parent, path, depth, $7::timestamptz
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[]) AS u(id, name, code, parent, path, depth)`,
      [
        depts.map((d) => ids.department(d.index)),
        depts.map((d) => deptName(d, d.index)),
        depts.map((d) => d.code),
        depts.map((d) => (d.parentIndex === null ? null : ids.department(d.parentIndex))),
        depts.map((d) => paths[d.index]),
        depts.map((d) => d.depth),
        nowIso,
      ],
    );
    return depts.length;
  });

  // --- Employees -------------------------------------------------------------------------------
  // Employee g (1-based) works in the department whose slot [lo, hi] holds g. The first person of
  // each slot manages it (and is always active); 3 % have left, 1 % are leaving.
  await client.query("CREATE TEMP TABLE lg_slots (dept_index int, lo int, hi int) ON COMMIT PRESERVE ROWS");
  let lo = 1;
  const slots = depts.map((d) => {
    const slot = { dept: d.index, lo, hi: lo + d.size - 1 };
    lo += d.size;
    return slot;
  });
  await client.query("INSERT INTO lg_slots SELECT * FROM unnest($1::int[], $2::int[], $3::int[])", [slots.map((s) => s.dept), slots.map((s) => s.lo), slots.map((s) => s.hi)]);
  summary.employees = await timed(log, "employees", async () => {
    const r = await client.query(
      `INSERT INTO employees (id, employee_no, name, email, department_id, status, hire_date, leave_date, updated_at)
       SELECT 'lgemp' || lpad(g::text, 7, '0'), 'L' || lpad(g::text, 7, '0'), ${surnameSql("g", 1)} || ${givenSql("g", 2)},
              'u' || g || '@large.wegovern.demo', 'lgdept' || lpad(s.dept_index::text, 6, '0'),
              (CASE WHEN g = s.lo THEN 'ACTIVE' WHEN ${h("g", 4, 1000)} < 30 THEN 'DEPARTED' WHEN ${h("g", 4, 1000)} < 40 THEN 'OFFBOARDING' ELSE 'ACTIVE' END)::"EmployeeStatus",
              ($1::date - (30 + ${h("g", 5, 2900)})::int),
              CASE WHEN g <> s.lo AND ${h("g", 4, 1000)} < 30 THEN $1::date - (1 + ${h("g", 6, 300)})::int
                   WHEN g <> s.lo AND ${h("g", 4, 1000)} < 40 THEN $1::date + (${h("g", 6, 20)})::int - 5 END,
              $2::timestamptz
         FROM generate_series(1, $3::int) AS g JOIN lg_slots s ON g BETWEEN s.lo AND s.hi`,
      [nowIso.slice(0, 10), nowIso, plan.employees],
    );
    await client.query(`INSERT INTO employee_roles (employee_id, role, updated_at) SELECT id, 'EMPLOYEE'::"Role", $1::timestamptz FROM employees`, [nowIso]);
    return r.rowCount ?? 0;
  });

  // Managers: the first person of each slot, except one team in ten (those answer to the parent,
  // so the approval chain's walk up the tree is exercised); the demo managers run divisions 1–2.
  const demoIds = Object.keys(DEMO_PLACEMENT).map((_, i) => `lgdemo${i + 1}`);
  await client.query(
    `INSERT INTO employees (id, employee_no, name, email, password_hash, department_id, status, hire_date, updated_at)
     SELECT id, no, name, email, $5, dept, 'ACTIVE'::"EmployeeStatus", '2022-03-01'::date, $6::timestamptz FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $7::text[]) AS u(id, no, name, email, dept)`,
    [
      demoIds,
      demoIds.map((_, i) => `LD${String(i + 1).padStart(4, "0")}`),
      ["周建国", "林晓燕", "陈静怡", "赵明远", "王海涛", "黄志强"],
      Object.keys(DEMO_PLACEMENT),
      options.passwordHash,
      nowIso,
      Object.values(DEMO_PLACEMENT).map((p) => ids.department(Math.min(p.dept, depts.length - 1))),
    ],
  );
  for (const [i, p] of Object.values(DEMO_PLACEMENT).entries()) {
    for (const role of p.roles) await client.query(`INSERT INTO employee_roles (employee_id, role, updated_at) VALUES ($1, $2::"Role", $3)`, [demoIds[i], role, nowIso]);
  }
  await client.query(
    `UPDATE departments d SET manager_id = 'lgemp' || lpad(s.lo::text, 7, '0')
       FROM lg_slots s WHERE d.id = 'lgdept' || lpad(s.dept_index::text, 6, '0') AND (d.depth < 3 OR ${h("s.dept_index", 7, 10)} <> 0)`,
  );
  await client.query(`UPDATE departments SET manager_id = 'lgdemo5' WHERE id = $1`, [ids.department(1)]);
  await client.query(`UPDATE departments SET manager_id = 'lgdemo6' WHERE id = $1`, [ids.department(Math.min(2, depts.length - 1))]);
  await client.query(
    `INSERT INTO employee_roles (employee_id, role, updated_at) SELECT DISTINCT manager_id, 'MANAGER'::"Role", $1::timestamptz FROM departments WHERE manager_id LIKE 'lgemp%' ON CONFLICT DO NOTHING`,
    [nowIso],
  );
  // Line manager: the department's manager, or the nearest one above it.
  await client.query(
    `UPDATE employees e SET manager_id = m.manager_id FROM (
       SELECT d.id, (SELECT a.manager_id FROM departments a WHERE d.path LIKE a.path || '%' AND a.manager_id IS NOT NULL ORDER BY a.depth DESC LIMIT 1) AS manager_id
         FROM departments d) m
      WHERE e.department_id = m.id AND e.id <> m.manager_id`,
  );

  // --- Work groups -----------------------------------------------------------------------------
  // 85 % active, 5 % awaiting approval, 5 % dissolved, 2 % rejected, 2 % dissolution pending, 1 %
  // withdrawn; reviews due over the next 200 days with 4 % already overdue; owners are whoever the
  // hash picks, so the 3 % who left leave ownerless groups behind, as in life.
  const E = plan.employees;
  summary.groups = await timed(log, "work groups", async () => {
    let total = 0;
    const batch = 200_000;
    for (let start = 1; start <= plan.groups; start += batch) {
      const end = Math.min(plan.groups, start + batch - 1);
      const r = await client.query(
        `WITH rows AS (
           SELECT g, ${h("g", 11, 1000)} AS st, ${h("g", 12, 100)} AS cls, (${sqlArray(PURPOSES)})[1 + ${h("g", 13, PURPOSES.length)}::int] AS purpose,
                  'lgemp' || lpad((1 + ${h("g", 14, E)})::text, 7, '0') AS owner
             FROM generate_series($1::int, $2::int) AS g)
         INSERT INTO work_groups (id, name, name_parts, policy_version, purpose, platform, kind, department_id, owner_id, requester_id,
                                  classification, expected_size, status, activated_at, review_due_at, last_reviewed_at, dissolved_at, created_at, updated_at)
         SELECT 'lggrp' || lpad(g::text, 8, '0'), d.name || '-项目' || g || '-' || purpose, jsonb_build_object('项目', '项目' || g, '用途', purpose), 1,
                purpose || '（批量生成）',
                (CASE WHEN ${h("g", 15, 10)} < 8 THEN 'WECOM' ELSE 'WECHAT' END)::"WorkGroupPlatform",
                (CASE WHEN ${h("g", 16, 10)} < 6 THEN 'EXTERNAL' ELSE 'INTERNAL' END)::"WorkGroupKind",
                e.department_id, e.id, e.id,
                (CASE WHEN cls < 30 THEN 'PUBLIC' WHEN cls < 85 THEN 'INTERNAL' WHEN cls < 97 THEN 'CONFIDENTIAL' ELSE 'SECRET' END)::"WorkGroupClassification",
                20 + ${h("g", 17, 480)},
                (CASE WHEN st < 850 THEN 'ACTIVE' WHEN st < 900 THEN 'PENDING_APPROVAL' WHEN st < 950 THEN 'DISSOLVED' WHEN st < 970 THEN 'REJECTED'
                      WHEN st < 990 THEN 'DISSOLUTION_PENDING' ELSE 'WITHDRAWN' END)::"WorkGroupStatus",
                CASE WHEN st < 850 OR st >= 900 AND st < 950 OR st >= 970 AND st < 990 THEN $3::timestamptz - make_interval(days => (30 + ${h("g", 18, 700)})::int) END,
                CASE WHEN st < 850 OR st >= 970 AND st < 990 THEN $3::timestamptz + make_interval(days => (${h("g", 19, 200)} - 8)::int) END,
                CASE WHEN st < 850 AND ${h("g", 20, 2)} = 0 THEN $3::timestamptz - make_interval(days => (10 + ${h("g", 21, 150)})::int) END,
                CASE WHEN st >= 900 AND st < 950 THEN $3::timestamptz - make_interval(days => (1 + ${h("g", 22, 25)})::int) END,
                $3::timestamptz - make_interval(days => (30 + ${h("g", 18, 700)})::int, hours => 1), $3::timestamptz
           FROM rows JOIN employees e ON e.id = rows.owner JOIN departments d ON d.id = e.department_id`,
        [start, end, nowIso],
      );
      total += r.rowCount ?? 0;
      log(`  work groups ${end.toLocaleString("en-US")} / ${plan.groups.toLocaleString("en-US")}`);
    }
    return total;
  });
  // Archives (建群即有归档): 95 % of active groups have one, mostly from the last two months; one in
  // twenty of those is older than 90 days, so a few percent are "without a fresh archive".
  summary.groupArchives = await timed(log, "group archives", async () => {
    const r = await client.query(
      `INSERT INTO work_group_archives (id, group_id, content, location, exported_on, recorded_by_id, updated_at)
       SELECT 'lgarc' || substr(g.id, 6), g.id, '聊天记录与文件', '档案系统/' || g.id,
              ($1::date - (CASE WHEN ${h("substr(g.id, 6)::int", 27, 20)} = 0 THEN 100 + ${h("substr(g.id, 6)::int", 23, 200)} ELSE ${h("substr(g.id, 6)::int", 23, 60)} END)::int),
              g.owner_id, $2::timestamptz
         FROM work_groups g WHERE g.id LIKE 'lggrp%' AND g.status = 'ACTIVE' AND ${h("substr(g.id, 6)::int", 24, 20)} <> 0`,
      [nowIso.slice(0, 10), nowIso],
    );
    return r.rowCount ?? 0;
  });

  // --- Approval requests for groups waiting on a decision -------------------------------------
  summary.approvalRequests = await timed(log, "approval requests", async () => {
    const cal = await client.query<{ id: string; definition: unknown }>("SELECT id, definition FROM business_calendars WHERE is_default ORDER BY created_at LIMIT 1");
    const calendar = { id: cal.rows[0].id, definition: calendarDefinitionSchema.parse(cal.rows[0].definition) };
    const r = await client.query(
      `INSERT INTO approval_requests (id, type, subject_type, subject_id, title, requester_id, facts, status, chain_id, chain_version, calendar_id, overdue_working_days, created_at, updated_at)
       SELECT 'lgapr' || substr(g.id, 6),
              (CASE WHEN g.status = 'PENDING_APPROVAL' THEN 'GROUP_CREATE' ELSE 'GROUP_DISSOLVE' END)::"ApprovalRequestType",
              'WorkGroup', g.id, g.name, g.owner_id,
              jsonb_build_object('managerOfDepartmentId', g.department_id, 'classification', g.classification::text), 'PENDING'::"ApprovalRequestStatus",
              CASE WHEN g.status = 'PENDING_APPROVAL' THEN 'apprchaingroupcreate000001' ELSE 'apprchaingroupdissolve0001' END, 1, $2, 2,
              -- Nine in ten arrived in the last day and a half; the rest up to two weeks ago (overdue).
              $1::timestamptz - make_interval(mins => (5 + CASE WHEN ${h("substr(g.id, 6)::int", 26, 10)} < 9 THEN ${h("substr(g.id, 6)::int", 25, 36 * 60)}
                                                               ELSE ${h("substr(g.id, 6)::int", 25, 14 * 24 * 60)} END)::int), $1::timestamptz
         FROM work_groups g WHERE g.id LIKE 'lggrp%' AND g.status IN ('PENDING_APPROVAL', 'DISSOLUTION_PENDING')`,
      [nowIso, calendar.id],
    );
    // Step 1 is the department manager's (the nearest one up the tree), pending; step 2 ADMIN, waiting.
    await client.query(
      `INSERT INTO approval_request_steps (id, request_id, position, kind, role, approver_id, resolution, status, activated_at, updated_at)
       SELECT 'lgst1' || substr(a.id, 6), a.id, 1, 'DEPARTMENT_MANAGER'::"ApprovalStepKind", CASE WHEN m.manager_id IS NULL THEN 'ADMIN'::"Role" END, m.manager_id,
              CASE WHEN m.manager_id IS NULL THEN jsonb_build_object('code', 'FALLBACK_ADMIN', 'fromDepartmentName', d.name)
                   ELSE jsonb_build_object('code', 'MANAGER', 'departmentName', d.name) END,
              'PENDING'::"ApprovalStepStatus", a.created_at, $1::timestamptz
         FROM approval_requests a JOIN departments d ON d.id = a.facts->>'managerOfDepartmentId'
         LEFT JOIN LATERAL (SELECT m.manager_id FROM departments m WHERE d.path LIKE m.path || '%' AND m.manager_id IS NOT NULL AND m.manager_id <> a.requester_id
                             ORDER BY m.depth DESC LIMIT 1) m ON true
        WHERE a.id LIKE 'lgapr%'`,
      [nowIso],
    );
    await client.query(
      `INSERT INTO approval_request_steps (id, request_id, position, kind, role, resolution, status, updated_at)
       SELECT 'lgst2' || substr(a.id, 6), a.id, 2, 'ROLE'::"ApprovalStepKind", 'ADMIN'::"Role", '{"code":"ROLE"}'::jsonb, 'WAITING'::"ApprovalStepStatus", $1::timestamptz FROM approval_requests a WHERE a.id LIKE 'lgapr%'`,
      [nowIso],
    );
    // Due times come from the calendar module, as the engine computes them.
    const steps = await client.query<{ id: string; activated_at: Date }>(`SELECT id, activated_at FROM approval_request_steps WHERE id LIKE 'lgst1%'`);
    const due = steps.rows.map((s) => addWorkingDays(calendar.definition, s.activated_at, 2).toISOString());
    await client.query(`UPDATE approval_request_steps s SET due_at = u.due::timestamptz FROM unnest($1::text[], $2::text[]) AS u(id, due) WHERE s.id = u.id`, [steps.rows.map((s) => s.id), due]);
    return r.rowCount ?? 0;
  });

  // --- Accounts (encrypted identifiers, through lib/pii) and customer contacts ----------------
  summary.accounts = await timed(log, "accounts", async () => {
    const holders = await client.query<{ id: string; department_id: string; status: string }>(
      `SELECT id, department_id, status FROM employees WHERE id LIKE 'lgemp%' AND status <> 'DEPARTED' ORDER BY id`,
    );
    const types = ["WECOM_MEMBER", "WECOM_MEMBER", "WECOM_MEMBER", "WECOM_MEMBER", "WECOM_MEMBER", "WECOM_MEMBER", "WECOM_MEMBER", "WECOM_MEMBER", "WECHAT_PERSONAL", "OFFICIAL_ACCOUNT"];
    // One account in a hundred (at least one) is held by someone leaving: their customers are at risk.
    const leaving = holders.rows.filter((h) => h.status === "OFFBOARDING");
    const leavingAccounts = leaving.length ? Math.max(1, Math.round(plan.accounts / 100)) : 0;
    const rows = Array.from({ length: plan.accounts }, (_, k) => {
      const i = k + 1;
      const holder = k < leavingAccounts ? leaving[k % leaving.length] : holders.rows[(i * 7919) % holders.rows.length];
      const platformId = `wx_lg_${String(i).padStart(6, "0")}`;
      const phone = `13${String(100_000_000 + ((i * 104_729) % 900_000_000)).padStart(9, "0")}`;
      const status = holder.status === "OFFBOARDING" ? "HANDOVER" : i % 33 === 0 ? "SUSPENDED" : "ACTIVE";
      return { id: ids.account(i), type: types[i % types.length], name: `企微账号 ${i}`, platformId, phone, holder, status };
    });
    await client.query(
      `INSERT INTO accounts (id, type, display_name, platform_id_cipher, platform_id_hash, platform_id_mask, phone_cipher, phone_hash, phone_mask,
                             holder_id, custodian_department_id, status, requested_by_id, updated_at)
       SELECT id, type::"AccountType", name, pc, ph, pm, fc, fh, fm, holder, dept, status::"AccountStatus", holder, $13::timestamptz
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
           AS u(id, type, name, pc, ph, pm, fc, fh, fm, holder, dept, status)`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.type),
        rows.map((r) => r.name),
        rows.map((r) => encrypt(r.platformId, options.ring)),
        rows.map((r) => hashValue("identifier", r.platformId, options.ring)),
        rows.map((r) => maskIdentifier(r.platformId)),
        rows.map((r) => encrypt(r.phone, options.ring)),
        rows.map((r) => hashValue("phone", r.phone, options.ring)),
        rows.map((r) => maskPhone(r.phone)),
        rows.map((r) => r.holder.id),
        rows.map((r) => r.holder.department_id),
        rows.map((r) => r.status),
        nowIso,
      ],
    );
    return rows.length;
  });
  summary.contacts = await timed(log, "customer contacts", async () => {
    let total = 0;
    // The external ids are personal information (lib/pii): encrypted, hashed and masked here, a
    // batch at a time, the rest of each row computed in SQL from its number.
    const batch = 20_000;
    const A = plan.accounts;
    for (let start = 1; start <= plan.contacts; start += batch) {
      const end = Math.min(plan.contacts, start + batch - 1);
      const externalIds = Array.from({ length: end - start + 1 }, (_, k) => `wmL${start + k}`);
      // Skewed: account k gets contacts in proportion to roughly 1/k^0.6 (a few hold thousands).
      const r = await client.query(
        `INSERT INTO customer_contacts (id, account_id, external_id_cipher, external_id_hash, external_id_mask, name, company, added_at, status, updated_at)
         SELECT 'lgcon' || lpad(g::text, 8, '0'),
                'lgacct' || lpad((1 + floor(${A} * power(${h("g", 31, 1_000_003)}::float8 / 1000003, 1.6)))::int::text, 6, '0'),
                u.c, u.h, u.m, ${surnameSql("g", 32)} || ${givenSql("g", 33)},
                CASE WHEN ${h("g", 35, 3)} = 0 THEN (${sqlArray(["华润", "申通", "远景", "海纳", "星辰", "恒达", "鼎新", "瑞丰"])})[1 + ${h("g", 36, 8)}::int] || '科技有限公司' END,
                $3::timestamptz - make_interval(days => (${h("g", 37, 1500)})::int),
                (CASE WHEN ${h("g", 38, 100)} < 97 THEN 'ACTIVE' WHEN ${h("g", 38, 100)} < 99 THEN 'TRANSFERRED' ELSE 'REMOVED' END)::"ContactStatus",
                $3::timestamptz
           FROM unnest($4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS u(c, h, m, k), LATERAL (SELECT ($1::int + u.k - 1)::int AS g) AS n
          WHERE n.g <= $2::int`,
        [start, end, nowIso, externalIds.map((v) => encrypt(v, options.ring)), externalIds.map((v) => hashValue("identifier", v, options.ring)), externalIds.map((v) => maskIdentifier(v))],
      );
      total += r.rowCount ?? 0;
      if (end % 250_000 < batch || end === plan.contacts) log(`  customer contacts ${end.toLocaleString("en-US")} / ${plan.contacts.toLocaleString("en-US")}`);
    }
    return total;
  });

  // --- Offboarding: an open case per leaver (some past their last day), closed ones for the departed
  summary.offboardingCases = await timed(log, "offboarding cases", async () => {
    const r = await client.query(
      `INSERT INTO offboarding_cases (id, employee_id, last_working_day, status, opened_by_id, departed_at, closed_at, closed_by_id, created_at, updated_at)
       SELECT 'lgoff' || substr(e.id, 6), e.id, COALESCE(e.leave_date, $1::date),
              (CASE WHEN e.status = 'OFFBOARDING' THEN 'OPEN' ELSE 'CLOSED' END)::"OffboardingStatus", 'lgdemo2',
              CASE WHEN e.status = 'DEPARTED' THEN (e.leave_date + time '10:00') AT TIME ZONE 'UTC' END,
              CASE WHEN e.status = 'DEPARTED' THEN (e.leave_date + time '10:00') AT TIME ZONE 'UTC' END,
              CASE WHEN e.status = 'DEPARTED' THEN 'lgdemo2' END,
              COALESCE(e.leave_date, $1::date) - 14, $2::timestamptz
         FROM employees e WHERE e.id LIKE 'lgemp%' AND e.status IN ('OFFBOARDING', 'DEPARTED')`,
      [nowIso.slice(0, 10), nowIso],
    );
    // Open cases list the leaver's accounts and groups still to hand over.
    await client.query(
      `INSERT INTO handover_items (id, case_id, kind, account_id, label, status, updated_at)
       SELECT 'lghia' || substr(a.id, 7), 'lgoff' || substr(a.holder_id, 6), 'ACCOUNT'::"HandoverItemKind", a.id, a.display_name, 'PENDING'::"HandoverItemStatus", $1::timestamptz
         FROM accounts a JOIN employees e ON e.id = a.holder_id WHERE a.id LIKE 'lgacct%' AND e.status = 'OFFBOARDING'`,
      [nowIso],
    );
    await client.query(
      `INSERT INTO handover_items (id, case_id, kind, group_id, label, status, updated_at)
       SELECT 'lghig' || substr(g.id, 6), 'lgoff' || substr(g.owner_id, 6), 'GROUP'::"HandoverItemKind", g.id, g.name, 'PENDING'::"HandoverItemStatus", $1::timestamptz
         FROM work_groups g JOIN employees e ON e.id = g.owner_id WHERE g.id LIKE 'lggrp%' AND e.status = 'OFFBOARDING' AND g.status = 'ACTIVE'`,
      [nowIso],
    );
    // …and every active customer on those accounts (the contacts at risk until transferred).
    await client.query(
      `INSERT INTO handover_items (id, case_id, kind, account_id, contact_id, label, status, updated_at)
       SELECT 'lghic' || substr(c.id, 6), 'lgoff' || substr(a.holder_id, 6), 'CONTACT'::"HandoverItemKind", a.id, c.id, c.name,
              (CASE WHEN ${h("substr(c.id, 6)::int", 41, 10)} < 7 THEN 'PENDING' ELSE 'DONE' END)::"HandoverItemStatus", $1::timestamptz
         FROM customer_contacts c JOIN accounts a ON a.id = c.account_id JOIN employees e ON e.id = a.holder_id
        WHERE a.id LIKE 'lgacct%' AND e.status = 'OFFBOARDING' AND c.status = 'ACTIVE'`,
      [nowIso],
    );
    return r.rowCount ?? 0;
  });

  // --- Service cases, consents, training (lib/large-dataset/domains.ts) -------------------------
  const calRow = await client.query<{ id: string; definition: unknown }>("SELECT id, definition FROM business_calendars WHERE is_default ORDER BY created_at LIMIT 1");
  const domainCtx = { client, now, ring: options.ring, calendar: { id: calRow.rows[0].id, definition: calendarDefinitionSchema.parse(calRow.rows[0].definition) }, employees: plan.employees, log };
  summary.serviceCases = await timed(log, "service cases", () => generateServiceCases(domainCtx, plan.serviceCases));
  summary.consents = await timed(log, "consent records (grants)", async () => {
    const r = await generateConsents(domainCtx, plan.consents);
    log(`  ${r.subjects.toLocaleString("en-US")} data subjects, ${r.followUps.toLocaleString("en-US")} withdrawals and renewals, ${r.requests} data-subject requests`);
    return r.grants;
  });
  summary.trainingAssignments = await timed(log, "training assignments", async () => {
    const r = await generateTraining(domainCtx);
    log(`  ${r.courses} courses, ${r.acknowledgements.toLocaleString("en-US")} policy acknowledgements`);
    return r.assignments;
  });

  // Statistics for the new rows before the figures' queries run on them.
  await client.query("ANALYZE");

  // --- Dashboard history: 11 past weeks of snapshots around today's figures ----------------------
  // Trends need history that a fresh dataset cannot have; these rows are marked GENERATED and the
  // dashboard says so. Each past week is today's figure scaled by a smooth per-department wave.
  summary.dashboardSnapshots = await timed(log, "dashboard snapshots (generated history)", async () => {
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(now);
    const weeks = lastWeeks(now, 12).slice(0, -1);
    let written = 0;
    for (const figure of FIGURES) {
      const { rows } = await client.query<{ department_id: string; value: string; total: string }>(figure.sql, ["/%", now, today]);
      if (rows.length === 0) continue;
      const dept: string[] = [];
      const week: string[] = [];
      const value: number[] = [];
      const total: number[] = [];
      rows.forEach((r, k) => {
        weeks.forEach((w, i) => {
          const wave = 1 + 0.3 * Math.sin(i / 2 + k) + 0.02 * (weeks.length - i);
          dept.push(r.department_id);
          week.push(w);
          const v = Number(r.value) * wave;
          const t = Number(r.total);
          value.push(figure.kind === "max" ? v : Math.round(t > 0 ? Math.min(t, v) : v));
          total.push(t);
        });
      });
      await client.query(
        `INSERT INTO dashboard_snapshots (week_start, figure_key, department_id, value, total, source, computed_at)
         SELECT w::date, $5, d, v, t, 'GENERATED', $6::timestamptz FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[]) AS u(d, w, v, t)`,
        [dept, week, value, total, figure.key, nowIso],
      );
      written += dept.length;
    }
    return written;
  });

  // --- Audit trail: events spread over two years, hash-chained in id order ---------------------
  summary.auditEvents = await timed(log, "audit events", async () => {
    const lastHash = async () => (await client.query<{ hash: string }>("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1")).rows[0]?.hash ?? GENESIS_HASH;
    let prev = await lastHash();
    const span = 730 * 86_400_000;
    const start = now.getTime() - span;
    const actions = [
      ["group.create", "WorkGroup"],
      ["approval.decide", "ApprovalRequest"],
      ["group.review", "WorkGroup"],
      ["employee.update", "Employee"],
      ["account.update", "Account"],
      ["contact.import", "Account"],
      ["group.archive.record", "WorkGroup"],
      ["offboarding.item.assign", "OffboardingCase"],
    ] as const;
    const batch = 5_000;
    let written = 0;
    let nextReport = plan.auditEvents / 10;
    for (let from = 0; from < plan.auditEvents; from += batch) {
      const n = Math.min(batch, plan.auditEvents - from);
      const cols: { actor: string[]; label: string[]; action: string[]; type: string[]; entity: string[]; after: string[]; at: string[]; prev: string[]; hash: string[] } = {
        actor: [], label: [], action: [], type: [], entity: [], after: [], at: [], prev: [], hash: [],
      };
      for (let k = 0; k < n; k++) {
        const i = from + k;
        const [action, entityType] = actions[(i * 31) % actions.length];
        const actorIndex = 1 + ((i * 48_271) % plan.employees);
        const actorId = ids.employee(actorIndex);
        const label = `u${actorIndex}@large.wegovern.demo`;
        const entityId = entityType === "WorkGroup" ? `lggrp${String(1 + ((i * 7) % plan.groups)).padStart(8, "0")}` : entityType === "Account" ? ids.account(1 + (i % plan.accounts)) : entityType === "Employee" ? ids.employee(1 + (i % plan.employees)) : `lgref${i}`;
        const after = { note: `批量生成事件 ${i}`, seq: i };
        const createdAt = new Date(start + Math.floor((span * i) / plan.auditEvents));
        const event = { actorId, actorLabel: label, action, entityType, entityId, before: null, after, ip: "10.0.0.1", createdAt, prevHash: prev };
        const hash = auditHash(event);
        cols.actor.push(actorId);
        cols.label.push(label);
        cols.action.push(action);
        cols.type.push(entityType);
        cols.entity.push(entityId);
        cols.after.push(JSON.stringify(after));
        cols.at.push(createdAt.toISOString());
        cols.prev.push(prev);
        cols.hash.push(hash);
        prev = hash;
      }
      await client.query("BEGIN");
      // The lock every audit writer takes (lib/server/audit-write.ts); the chain must still end
      // where this batch was computed to continue it.
      await client.query("SELECT pg_advisory_xact_lock(4200001)");
      if ((await lastHash()) !== cols.prev[0]) {
        await client.query("ROLLBACK");
        throw new Error("Another process wrote audit events while the dataset was generated; run the generator on a database nothing else uses.");
      }
      await client.query(
        `INSERT INTO audit_events (actor_id, actor_label, action, entity_type, entity_id, after, ip, created_at, prev_hash, hash)
         SELECT a, l, ac, t, e, af::jsonb, '10.0.0.1', at::timestamptz, p, hs
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
                WITH ORDINALITY AS u(a, l, ac, t, e, af, at, p, hs, ord)
          ORDER BY ord`,
        [cols.actor, cols.label, cols.action, cols.type, cols.entity, cols.after, cols.at, cols.prev, cols.hash],
      );
      await client.query("COMMIT");
      written += n;
      if (written >= nextReport) {
        log(`  audit events ${written.toLocaleString("en-US")} / ${plan.auditEvents.toLocaleString("en-US")}`);
        nextReport += plan.auditEvents / 10;
      }
    }
    return written;
  });

  // Fresh statistics and visibility maps, so the planner and index-only scans see the new rows.
  await client.query("VACUUM ANALYZE");
  return summary;
}
