import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDepartment, moveDepartment, renameDepartment, setDepartmentManager } from "@/lib/directory/commands";
import { departmentTree, type DepartmentNode } from "@/lib/directory/queries";
import { departmentCreateSchema, departmentManagerSchema, departmentMoveSchema, departmentRenameSchema } from "@/lib/directory/schemas";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { run, seedOrganisation, type Organisation } from "./helpers";

let db: TestDb;
let org: Organisation;
let hr: Actor;
let manager: Actor;

const dept = (id: string) => db.prisma.department.findUniqueOrThrow({ where: { id } });
const audits = () => db.prisma.auditEvent.count();
const create = (input: Record<string, unknown>, actor = hr) => run(db.prisma, actor, departmentCreateSchema, input, createDepartment);
const move = async (id: string, parentId: string, version?: number) =>
  run(db.prisma, hr, departmentMoveSchema, { id, parentId, version: String(version ?? (await dept(id)).version) }, moveDepartment);

/** Every department's path and depth agree with its parent's: the tree invariant. */
async function expectConsistentTree() {
  const all = await db.prisma.department.findMany();
  const byId = new Map(all.map((d) => [d.id, d]));
  for (const d of all) {
    const parent = d.parentId ? byId.get(d.parentId)! : null;
    expect(d.path).toBe(`${parent?.path ?? "/"}${d.id}/`);
    expect(d.depth).toBe(parent ? parent.depth + 1 : 0);
  }
}

beforeAll(async () => {
  db = await createTestDb();
  org = await seedOrganisation(db.prisma);
  hr = await actorFor(db.prisma, org.people.hr.id);
  manager = await actorFor(db.prisma, org.people.manager.id);
});
afterAll(async () => db?.close());

describe("departments", () => {
  it("creates a department under a parent with its path and depth, audited once", async () => {
    const before = await audits();
    const outcome = await create({ name: "杭州销售组", code: "SALES-EAST-HZ", parentId: org.dept.east.id });
    expect(outcome).toMatchObject({ ok: true });
    if (!outcome.ok) return;
    const d = await dept(outcome.data.id);
    expect(d).toMatchObject({ parentId: org.dept.east.id, path: `${org.dept.east.path}${d.id}/`, depth: 3, version: 1 });
    expect(await audits()).toBe(before + 1);
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { entityId: d.id } });
    expect(event).toMatchObject({ action: "department.create", entityType: "Department", before: null });
    expect(event.after).toMatchObject({ name: "杭州销售组", code: "SALES-EAST-HZ", depth: 3 });
  });

  it("refuses a code in use (any case) beside the field, and an unknown parent", async () => {
    const before = await audits();
    expect(await create({ name: "重复", code: "sales", parentId: org.dept.hq.id })).toEqual({ ok: false, code: "CONFLICT", field: "code", messageKey: "directory.errors.codeTaken" });
    expect(await create({ name: "孤儿", code: "ORPHAN", parentId: "0".repeat(32) })).toMatchObject({ ok: false, field: "parentId", messageKey: "directory.errors.parentNotFound" });
    expect(await create({ name: "坏编码", code: "A B" })).toMatchObject({ code: "VALIDATION", fieldErrors: { code: ["directory.v.code"] } });
    expect(await audits()).toBe(before);
  });

  it("renames with optimistic concurrency", async () => {
    const { version } = await dept(org.dept.south.id);
    expect(await run(db.prisma, hr, departmentRenameSchema, { id: org.dept.south.id, version: String(version), name: "华南大区" }, renameDepartment)).toMatchObject({ ok: true });
    expect(await dept(org.dept.south.id)).toMatchObject({ name: "华南大区", version: version + 1 });
    const before = await audits();
    expect(await run(db.prisma, hr, departmentRenameSchema, { id: org.dept.south.id, version: String(version), name: "过期的名称" }, renameDepartment)).toMatchObject({ ok: false, code: "STALE" });
    expect(await dept(org.dept.south.id)).toMatchObject({ name: "华南大区" });
    expect(await audits()).toBe(before);
  });

  it("moves a department and rewrites the paths and depths of its whole subtree", async () => {
    // Sales › East › Shanghai-1 (and Hangzhou) moves under HR: every node below East follows.
    const before = await audits();
    const outcome = await move(org.dept.east.id, org.dept.hr.id);
    expect(outcome).toMatchObject({ ok: true, data: { moved: 3 } });
    const east = await dept(org.dept.east.id);
    const sh1 = await dept(org.dept.sh1.id);
    expect(east).toMatchObject({ parentId: org.dept.hr.id, path: `${org.dept.hr.path}${east.id}/`, depth: 2 });
    expect(sh1).toMatchObject({ parentId: east.id, path: `${east.path}${sh1.id}/`, depth: 3 });
    await expectConsistentTree();
    expect(await audits()).toBe(before + 1);
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { entityId: east.id, action: "department.move" } });
    expect(event.before).toMatchObject({ parentId: org.dept.sales.id, path: org.dept.east.path, depth: 2 });
    expect(event.after).toMatchObject({ parentId: org.dept.hr.id, path: east.path, depth: 2, subtreeSize: 3 });

    // The manager's scope follows the move: it is the path prefix.
    const moved = await actorFor(db.prisma, org.people.manager.id);
    expect(moved.departmentPath).toBe(east.path);

    // Up to the top level and back under Sales, one level shallower and deeper.
    expect(await move(org.dept.east.id, "")).toMatchObject({ ok: true });
    expect(await dept(org.dept.sh1.id)).toMatchObject({ depth: 1 });
    await expectConsistentTree();
    expect(await move(org.dept.east.id, org.dept.sales.id)).toMatchObject({ ok: true });
    expect(await dept(org.dept.sh1.id)).toMatchObject({ depth: 3 });
    await expectConsistentTree();
  });

  it("refuses moving a department under itself or its own subtree, and changes nothing", async () => {
    const snapshot = await db.prisma.department.findMany({ orderBy: { id: "asc" } });
    const before = await audits();
    expect(await move(org.dept.sales.id, org.dept.sales.id)).toMatchObject({ ok: false, code: "VALIDATION", fieldErrors: { parentId: ["directory.v.moveIntoSelf"] } });
    expect(await move(org.dept.sales.id, org.dept.east.id)).toEqual({ ok: false, code: "VALIDATION", field: "parentId", messageKey: "directory.errors.moveIntoSubtree" });
    expect(await move(org.dept.sales.id, org.dept.sh1.id)).toMatchObject({ ok: false, field: "parentId", messageKey: "directory.errors.moveIntoSubtree" });
    expect(await db.prisma.department.findMany({ orderBy: { id: "asc" } })).toEqual(snapshot);
    expect(await audits()).toBe(before);
  });

  it("refuses a move with a stale version", async () => {
    const { version } = await dept(org.dept.sh1.id);
    expect(await move(org.dept.sh1.id, org.dept.south.id, version + 1)).toMatchObject({ ok: false, code: "STALE" });
    expect(await dept(org.dept.sh1.id)).toMatchObject({ parentId: org.dept.east.id });
  });

  it("sets and removes the manager, who must be an active employee", async () => {
    const set = async (managerNo: string) =>
      run(db.prisma, hr, departmentManagerSchema, { id: org.dept.south.id, version: String((await dept(org.dept.south.id)).version), managerNo }, setDepartmentManager);
    expect(await set("s-001")).toMatchObject({ ok: true });
    expect(await dept(org.dept.south.id)).toMatchObject({ managerId: org.people.southStaff.id });
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { entityId: org.dept.south.id, action: "department.setManager" } });
    expect(event.before).toMatchObject({ managerId: null });
    expect(event.after).toMatchObject({ managerId: org.people.southStaff.id });
    expect(await set("S-002")).toMatchObject({ ok: false, field: "managerNo", messageKey: "directory.errors.managerNotActive" });
    expect(await set("")).toMatchObject({ ok: true });
    expect(await dept(org.dept.south.id)).toMatchObject({ managerId: null });
  });

  it("is refused to a manager (no departments.manage)", async () => {
    expect(await create({ name: "越权", code: "NOPE" }, manager)).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  it("counts each department's current staff in the tree", async () => {
    const tree = await departmentTree(hr);
    const flat: DepartmentNode[] = [];
    const walk = (nodes: DepartmentNode[]) => nodes.forEach((n) => (flat.push(n), walk(n.children)));
    walk(tree);
    const count = (code: string) => flat.find((n) => n.code === code)?.employeeCount;
    const subtree = (code: string) => flat.find((n) => n.code === code)?.subtreeCount;
    expect(count("SALES-EAST")).toBe(2);
    expect(count("SALES-EAST-SH1")).toBe(1);
    expect(count("SALES-SOUTH")).toBe(1); // the departed employee is not counted
    expect(count("SALES")).toBe(0);
    expect(subtree("SALES-EAST")).toBe(3);
    expect(subtree("SALES")).toBe(4);
    expect(subtree("HQ")).toBe(await db.prisma.employee.count({ where: { status: "ACTIVE" } }));
    expect(tree).toHaveLength(1);
    // Siblings in Chinese collation order: 人力资源部 (r…) before 销售中心 (x…).
    expect(tree[0].children.map((c) => c.code)).toEqual(["HR", "SALES"]);
  });
});
