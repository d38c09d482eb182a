import { afterAll, beforeAll, expect, it } from "vitest";
import { confirmImport, stageImport, type StageProgress } from "@/lib/accounts/import/commands";
import { getImport } from "@/lib/accounts/import/queries";
import { decodeCsvBytes, readCsv } from "@/lib/accounts/import/parse";
import type { Actor } from "@/lib/server/actor";
import { inUnitOfWork } from "@/lib/server/unit-of-work";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { HEADER, seedImportOrg, type ImportOrg } from "./helpers";

// 100,000 rows staged with progress and confirmed in one transaction. Times are printed, not
// asserted (they depend on the machine).

let db: TestDb;
let org: ImportOrg;
let admin: Actor;

beforeAll(async () => {
  db = await createTestDb();
  org = await seedImportOrg(db.prisma);
  admin = await actorFor(db.prisma, org.adminId);
});
afterAll(async () => db?.close());

it("stages and confirms a 100,000-row file, reporting progress", { timeout: 600_000 }, async () => {
  const N = 100_000;
  const lines = [HEADER];
  for (let i = 0; i < N; i++) lines.push(`wm_${i.toString(36).padStart(6, "0")},"客户 ${i}",公司${i % 97},${1735689600 + i},${i % 2 ? "zhangsan" : "客服微信"}`);
  // Ten rows repeat earlier ones and ten are invalid, among the 100,000.
  for (let i = 0; i < 10; i++) lines[1 + i * 1000 + 500] = `wm_${(i * 1000).toString(36).padStart(6, "0")},重复,,2025-01-01,客服微信`;
  for (let i = 0; i < 10; i++) lines[1 + i * 1000 + 700] = `,无ID${i},,2025-01-01,zhangsan`;
  const bytes = new TextEncoder().encode(lines.join("\r\n"));

  let t0 = performance.now();
  const parsed = Array.from(readCsv(decodeCsvBytes(bytes).text)).length;
  const parseMs = performance.now() - t0;
  expect(parsed).toBe(N + 1);

  const progress: StageProgress[] = [];
  t0 = performance.now();
  const { importId, status } = await stageImport(db.prisma, admin, { name: "big.csv", bytes }, (p) => void progress.push(p));
  const stageMs = performance.now() - t0;
  expect(status).toBe("READY");
  expect(await getImport(db.prisma, importId)).toMatchObject({ totalRows: N, addCount: N - 20, duplicateCount: 10, invalidCount: 10 });
  expect(progress.length).toBeGreaterThanOrEqual(20);
  const percents = progress.map((p) => p.percent);
  expect(percents).toEqual([...percents].sort((a, b) => a - b));

  t0 = performance.now();
  const result = await inUnitOfWork(db.prisma, admin, ({ tx, audit }) => confirmImport(admin, { importId }, tx, audit));
  const confirmMs = performance.now() - t0;
  expect(result.inserted).toBe(N - 20);
  expect(await db.prisma.customerContact.count()).toBe(N - 20);
  expect(await db.prisma.auditEvent.count({ where: { entityId: importId } })).toBe(2); // staged, confirmed

  console.log(
    `[contact import, ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}] 100,000 rows (${(bytes.byteLength / 1e6).toFixed(1)} MB): ` +
      `decode+parse ${parseMs.toFixed(0)} ms, stage ${stageMs.toFixed(0)} ms, confirm ${confirmMs.toFixed(0)} ms`,
  );
});
