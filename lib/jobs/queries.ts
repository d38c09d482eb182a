import type { Tx } from "@/lib/server/prisma-client";
import { JOBS_SCHEMA, QUEUES } from "./config";

// The job queue as ADMIN and AUDITOR see it (/settings/jobs), read from pg-boss's own tables
// (schema "pgboss"), so the page needs no pg-boss instance of its own.

export type QueueCounts = { name: string; counts: Record<string, number> };
export type FailedJob = { id: string; name: string; retryCount: number; retryLimit: number; error: string; failedAt: Date | null; createdOn: Date };

const STATES = ["created", "retry", "active", "completed", "cancelled", "failed"] as const;

function isMissingSchema(error: unknown): boolean {
  const e = error as { code?: string; meta?: { code?: string }; message?: string };
  return e?.code === "42P01" || e?.meta?.code === "42P01" || /does not exist/.test(e?.message ?? "");
}

export async function queueOverview(tx: Tx): Promise<{ queues: QueueCounts[]; failed: FailedJob[]; installed: boolean }> {
  const empty = () => Object.fromEntries(STATES.map((s) => [s, 0])) as Record<string, number>;
  const byName = new Map<string, Record<string, number>>(Object.values(QUEUES).map((n) => [n, empty()]));
  try {
    const rows = await tx.$queryRawUnsafe<{ name: string; state: string; n: bigint }[]>(
      `SELECT name, state::text AS state, count(*)::bigint AS n FROM "${JOBS_SCHEMA}".job GROUP BY name, state`,
    );
    for (const r of rows.filter((row) => !row.name.startsWith("__pgboss"))) {
      const counts = byName.get(r.name) ?? empty();
      counts[r.state] = Number(r.n);
      byName.set(r.name, counts);
    }
    const failed = await tx.$queryRawUnsafe<{ id: string; name: string; retry_count: number; retry_limit: number; output: unknown; completed_on: Date | null; created_on: Date }[]>(
      `SELECT id::text AS id, name, retry_count, retry_limit, output, completed_on, created_on FROM "${JOBS_SCHEMA}".job
       WHERE state = 'failed' ORDER BY completed_on DESC NULLS LAST LIMIT 50`,
    );
    return {
      installed: true,
      queues: [...byName].map(([name, counts]) => ({ name, counts })),
      failed: failed.map((f) => ({ id: f.id, name: f.name, retryCount: f.retry_count, retryLimit: f.retry_limit, error: errorText(f.output), failedAt: f.completed_on, createdOn: f.created_on })),
    };
  } catch (error) {
    if (isMissingSchema(error)) return { installed: false, queues: [...byName].map(([name, counts]) => ({ name, counts })), failed: [] };
    throw error;
  }
}

function errorText(output: unknown): string {
  if (output && typeof output === "object") {
    const o = output as { message?: unknown; stack?: unknown };
    if (typeof o.message === "string") return o.message;
    return JSON.stringify(output).slice(0, 500);
  }
  return output == null ? "" : String(output).slice(0, 500);
}
