import { readdirSync, readFileSync } from "node:fs";
import internals from "@prisma/internals";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "./helpers/test-db";

// Fails when prisma/schema/*.prisma and the hand-written migrations disagree: every model's table,
// every field's column, type, nullability, enum values, unique constraints, indexes and foreign
// keys are compared with the catalog of a freshly migrated database (STACK.md).

type DmmfField = { name: string; dbName?: string | null; kind: string; type: string; isRequired: boolean; isList: boolean; isUnique: boolean; isId: boolean; relationFromFields?: string[]; relationToFields?: string[]; relationOnDelete?: string; nativeType?: [string, string[]] | null };
type DmmfModel = { name: string; dbName: string | null; fields: DmmfField[]; primaryKey: { fields: string[] } | null; uniqueFields: string[][] };
type DmmfIndex = { model: string; type: string; fields: { name: string }[]; dbName?: string | null };

const SCALAR_TO_PG: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Boolean: "boolean",
  Json: "jsonb",
  Float: "double precision",
  Decimal: "numeric",
  Bytes: "bytea",
};
const NATIVE_TO_PG: Record<string, string> = {
  Timestamptz: "timestamp with time zone",
  Date: "date",
  Uuid: "uuid",
  Timestamp: "timestamp without time zone",
  VarChar: "character varying",
  Text: "text",
};

let db: TestDb;
let client: pg.Client;
let dmmf: { datamodel: { models: DmmfModel[]; enums: { name: string; dbName?: string | null; values: { name: string }[] }[]; indexes: DmmfIndex[] } };

beforeAll(async () => {
  db = await createTestDb();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  // One file per domain under prisma/schema/; getDMMF reads them together as Prisma does.
  const files = readdirSync("prisma/schema").filter((f) => f.endsWith(".prisma")).sort();
  const datamodel = files.map((f): [string, string] => [`prisma/schema/${f}`, readFileSync(`prisma/schema/${f}`, "utf8")]);
  dmmf = (await internals.getDMMF({ datamodel })) as unknown as typeof dmmf;
});

afterAll(async () => {
  await client?.end();
  await db?.close();
});

const column = (f: DmmfField) => f.dbName ?? f.name;
const table = (m: DmmfModel) => m.dbName ?? m.name;

describe("prisma/schema matches the migrated database", () => {
  it("has exactly the tables the models name", async () => {
    const { rows } = await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`);
    expect(rows.map((r) => r.table_name).sort()).toEqual(dmmf.datamodel.models.map(table).sort());
  });

  it("has every enum with the same values", async () => {
    const { rows } = await client.query(
      `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
         JOIN pg_namespace n ON n.oid = t.typnamespace AND n.nspname = 'public'
        GROUP BY t.typname`,
    );
    const actual = Object.fromEntries(rows.map((r) => [r.name, r.values]));
    const expected = Object.fromEntries(dmmf.datamodel.enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.name)]));
    expect(actual).toEqual(expected);
  });

  it("has every field as a column of the right type and nullability, and no extra column", async () => {
    const { rows } = await client.query(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    const enums = new Set(dmmf.datamodel.enums.map((e) => e.dbName ?? e.name));
    for (const model of dmmf.datamodel.models) {
      const cols = rows.filter((r) => r.table_name === table(model));
      const scalars = model.fields.filter((f) => f.kind !== "object");
      expect(cols.map((c) => c.column_name).sort(), `columns of ${table(model)}`).toEqual(scalars.map(column).sort());
      for (const f of scalars) {
        const c = cols.find((x) => x.column_name === column(f))!;
        const expectedType = f.kind === "enum" ? "USER-DEFINED" : f.nativeType ? NATIVE_TO_PG[f.nativeType[0]] : SCALAR_TO_PG[f.type] ?? (f.type === "DateTime" ? "timestamp without time zone" : f.type);
        if (f.isList) {
          // A list is a PostgreSQL array: information_schema says ARRAY, udt_name the element type's.
          expect(c.data_type, `${table(model)}.${column(f)} type`).toBe("ARRAY");
          expect(c.udt_name, `${table(model)}.${column(f)} element type`).toBe(`_${{ text: "text", integer: "int4", bigint: "int8", boolean: "bool", "timestamp with time zone": "timestamptz" }[expectedType as string] ?? expectedType}`);
        } else expect(c.data_type, `${table(model)}.${column(f)} type`).toBe(expectedType);
        if (f.kind === "enum") expect(enums.has(c.udt_name), `${table(model)}.${column(f)} enum`).toBe(true);
        expect(c.is_nullable === "NO", `${table(model)}.${column(f)} NOT NULL`).toBe(f.isRequired);
      }
    }
  });

  it("has the primary keys, unique constraints and indexes the schema declares", async () => {
    const { rows } = await client.query(
      `SELECT t.relname AS table, i.relname AS index, ix.indisunique AS unique, ix.indisprimary AS primary,
              array_agg(a.attname ORDER BY k.ord)::text[] AS columns
         FROM pg_index ix
         JOIN pg_class i ON i.oid = ix.indexrelid
         JOIN pg_class t ON t.oid = ix.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
         CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        WHERE t.relname <> '_prisma_migrations'
          -- Partial indexes (WHERE …) cannot be declared in prisma/schema; they live in migrations only.
          AND ix.indpred IS NULL
        GROUP BY t.relname, i.relname, ix.indisunique, ix.indisprimary`,
    );
    const actual = rows.map((r) => `${r.table}(${r.columns.join(",")})${r.primary ? " pk" : r.unique ? " unique" : ""}`).sort();
    const expected: string[] = [];
    for (const model of dmmf.datamodel.models) {
      const byName = new Map(model.fields.map((f) => [f.name, column(f)]));
      const idField = model.fields.find((f) => f.isId);
      const pk = idField ? [column(idField)] : (model.primaryKey?.fields ?? []).map((n) => byName.get(n)!);
      expected.push(`${table(model)}(${pk.join(",")}) pk`);
      for (const f of model.fields) if (f.isUnique) expected.push(`${table(model)}(${column(f)}) unique`);
      for (const u of model.uniqueFields) expected.push(`${table(model)}(${u.map((n) => byName.get(n)!).join(",")}) unique`);
      for (const idx of dmmf.datamodel.indexes.filter((i) => i.model === model.name && i.type === "normal")) {
        expected.push(`${table(model)}(${idx.fields.map((f) => byName.get(f.name)!).join(",")})`);
      }
    }
    expect(actual).toEqual(expected.sort());
  });

  it("has the foreign keys the relations declare, with the same delete rule", async () => {
    const { rows } = await client.query(
      `SELECT tc.table_name, kcu.column_name, ccu.table_name AS ref_table, ccu.column_name AS ref_column, rc.delete_rule
         FROM information_schema.table_constraints tc
         JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name
         JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name
         JOIN information_schema.referential_constraints rc ON rc.constraint_name = tc.constraint_name
        WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'`,
    );
    const actual = rows.map((r) => `${r.table_name}.${r.column_name}->${r.ref_table}.${r.ref_column} ${r.delete_rule}`).sort();
    const models = new Map(dmmf.datamodel.models.map((m) => [m.name, m]));
    const rule: Record<string, string> = { Cascade: "CASCADE", Restrict: "RESTRICT", SetNull: "SET NULL", NoAction: "NO ACTION", SetDefault: "SET DEFAULT" };
    const expected: string[] = [];
    for (const model of dmmf.datamodel.models) {
      for (const f of model.fields) {
        if (f.kind !== "object" || !f.relationFromFields?.length) continue;
        const target = models.get(f.type)!;
        f.relationFromFields.forEach((from, i) => {
          const fromCol = column(model.fields.find((x) => x.name === from)!);
          const toCol = column(target.fields.find((x) => x.name === f.relationToFields![i])!);
          const onDelete = f.relationOnDelete ?? (f.isRequired ? "Restrict" : "SetNull");
          expected.push(`${table(model)}.${fromCol}->${table(target)}.${toCol} ${rule[onDelete]}`);
        });
      }
    }
    expect(actual).toEqual(expected.sort());
  });
});
