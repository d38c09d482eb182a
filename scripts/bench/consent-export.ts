import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import pg from "pg";
import { csvResponse } from "../../lib/csv";
import { CONSENT_EXPORT_HEADER, consentExportLines } from "../../lib/privacy/consent-export";
import { migrate } from "../../lib/server/migrate";
import { createPrismaClient } from "../../lib/server/prisma-client";
import { scratchDatabase } from "./_scratch-db";

// "1,000,000 consent records must export without the server holding them all in memory." Fills a
// fresh database with BENCH_CONSENTS grants (default 200,000; set 1000000 for the full figure),
// then reads the export exactly as GET /privacy/consents/export streams it (pages of 5,000 lines
// through csvResponse) and prints rows/s, bytes and the heap's peak growth over the baseline —
// which stays near one page's worth whatever the row count.

const N = Number(process.env.BENCH_CONSENTS ?? 200_000);


setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

async function main() {
  const db = await scratchDatabase("consents");
  // The export reads its pages through the app's bulk-read pool, which follows DATABASE_URL.
  process.env.DATABASE_URL = db.url;
  console.log(`database: ${db.kind}; ${N.toLocaleString("en")} consents`);
  try {
    await migrate(db.url);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const t0 = performance.now();
    await client.query(`INSERT INTO privacy_notices (id, notice_key, notice_version, status, title, processor_name, processor_contact, purposes, purpose_codes, methods, categories, retention_days, rights_text, separate_consents, created_by_id, published_at, updated_at)
      VALUES ('benchnotice000000000001', 'bench', 1, 'PUBLISHED', 'Bench', 'P', 'C', '[{"code":"SERVICE","description":"s"}]', '["SERVICE"]', 'm', '[{"code":"CONTACT","name":"c","sensitive":false}]', 365, 'r', '[]', 'x', now(), now())`);
    const subjects = Math.max(1, Math.floor(N / 2));
    await client.query(`INSERT INTO privacy_subjects (id, name, phone_cipher, phone_hash, phone_mask, created_by_id, updated_at)
      SELECT 'bs' || lpad(g::text, 22, '0'), '客户' || g, 'v1.x.x.x.x', 'h' || g, '139****' || lpad((g % 10000)::text, 4, '0'), 'x', now() FROM generate_series(1, ${subjects}) g`);
    await client.query(`INSERT INTO consent_events (id, kind, subject_id, notice_id, purposes, categories, separate_consents, channel, method, occurred_at, expires_at)
      SELECT 'bc' || lpad(g::text, 22, '0'), 'GRANT', 'bs' || lpad(((g % ${subjects}) + 1)::text, 22, '0'), 'benchnotice000000000001', '["SERVICE"]', '["CONTACT"]', '[]', 'WECOM', '勾选同意',
             now() - (g % 400) * interval '1 day', now() - (g % 400) * interval '1 day' + interval '365 days'
        FROM generate_series(1, ${N}) g`);
    await client.query("ANALYZE");
    await client.end();
    console.log(`filled in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const prisma = createPrismaClient(db.url, 2);
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    let rows = 0;
    let pageNo = 0;
    async function* pages() {
      for await (const page of consentExportLines(prisma, {})) {
        rows += page.length;
        // What is still held after a collection, sampled every 50 pages: garbage is not retention.
        if (++pageNo % 50 === 0) {
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        }
        yield page;
      }
    }
    const t1 = performance.now();
    const response = csvResponse("consents.csv", CONSENT_EXPORT_HEADER, pages());
    const reader = response.body!.getReader();
    let bytes = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
    }
    const seconds = (performance.now() - t1) / 1000;
    console.log(`exported ${rows.toLocaleString("en")} rows, ${mb(bytes)} of CSV in ${seconds.toFixed(1)} s (${Math.round(rows / seconds).toLocaleString("en")} rows/s)`);
    console.log(`heap after collection: baseline ${mb(baseline)}, highest while streaming ${mb(peak)} (+${mb(peak - baseline)} for ${mb(bytes)} of CSV)`);
    await prisma.$disconnect();
  } finally {
    await db.drop();
  }
}

await main();
