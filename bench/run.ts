// `npm run bench`: 100,000 generated records through the real pipeline
// (submit → worker → ready), on SQLite and PostgreSQL, beside the same rows
// written straight into the same database with the driver's fastest plain
// bulk insert. Also the latency of one 1,000-record job on an idle queue.
//   BENCH_RECORDS=100000 BENCH_DIALECTS=sqlite,postgresql npm run bench
import Database from "better-sqlite3";
import pg from "pg";
import { submitImport } from "../lib/imports/submit-import";
import { getDeferredResult } from "../lib/imports/deferred-result";
import { startWorker } from "../lib/queue/worker";
import { sqlitePath, type Dialect } from "../lib/db/dialect";
import { createTestDb, waitFor } from "../tests/support/test-db";

const N = Number(process.env.BENCH_RECORDS ?? 100_000);
const PER_REQUEST = 1000;
const dialects = (process.env.BENCH_DIALECTS ?? "sqlite,postgresql").split(",") as Dialect[];

function record(i: number, round: number) {
  return {
    external_id: `B${round}-${i}`,
    first_name: `First${i}`,
    last_name: `Last${i}`,
    email: `member${round}.${i}@example.org`,
    // 07400 xxxxxx: a mobile range where every number is valid
    phone_number: `+447400${String(round * 250_000 + i).padStart(6, "0")}`,
    subscription_email: i % 2 === 0,
    subscription_sms: "yes",
  };
}

async function pipeline(dialect: Dialect) {
  const t = await createTestDb(dialect);
  try {
    const worker = startWorker(t.db, { pollMs: 5, log: () => {} });
    // latency of one 1,000-record job on an idle queue: cold (first job of
    // the process) and warm (the next one)
    const latency = async (round: number) => {
      const records = Array.from({ length: PER_REQUEST }, (_, i) => record(i, round));
      const l0 = performance.now();
      const { id } = await submitImport(t.db, { source: "records", strategy: "reject", records });
      await waitFor(async () => (await getDeferredResult(t.db, id, { staff: true })).status === "ready", 60_000);
      return performance.now() - l0;
    };
    const coldMs = await latency(0);
    const latencyMs = await latency(3);

    // throughput: N new records in requests of 1,000
    const t0 = performance.now();
    let last = "";
    for (let start = 0; start < N; start += PER_REQUEST) {
      const batch = Array.from({ length: Math.min(PER_REQUEST, N - start) }, (_, i) => record(start + i, 1));
      last = (await submitImport(t.db, { source: "records", strategy: "reject", records: batch })).id;
    }
    const result = await waitFor(async () => {
      const r = await getDeferredResult(t.db, last, { staff: true });
      return r.status === "ready" ? r : null;
    }, 600_000);
    const pipelineMs = performance.now() - t0;
    await worker.stop();
    const created = await t.db.prisma.target.count();
    if (created !== N + 2 * PER_REQUEST || result.result!.rejected !== 0) {
      throw new Error(`bench: expected ${N + 2 * PER_REQUEST} targets, found ${created}`);
    }
    const plainMs = await plainInsert(dialect, t.url);
    return { coldMs, latencyMs, pipelineMs, plainMs };
  } finally {
    await t.drop();
  }
}

/** The same rows, already normalised, straight into a copy of the table. */
async function plainInsert(dialect: Dialect, url: string): Promise<number> {
  const rows = Array.from({ length: N }, (_, i) => {
    const r = record(i, 2);
    return [r.external_id, r.first_name, r.last_name, r.email, r.phone_number, r.subscription_email, true] as const;
  });
  const now = new Date().toISOString();
  if (dialect === "sqlite") {
    const db = new Database(sqlitePath(url));
    db.exec("CREATE TABLE plain AS SELECT * FROM target WHERE 0; CREATE UNIQUE INDEX plain_ext ON plain(external_id); CREATE INDEX plain_email ON plain(email); CREATE INDEX plain_phone ON plain(phone_number)");
    const stmt = db.prepare(
      "INSERT INTO plain (external_id, first_name, last_name, email, phone_number, subscription_email, subscription_sms, custom, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, '{}', ?, ?)",
    );
    const t0 = performance.now();
    db.transaction(() => {
      for (const r of rows) stmt.run(r[0], r[1], r[2], r[3], r[4], r[5] ? 1 : 0, 1, now, now);
    })();
    const ms = performance.now() - t0;
    db.close();
    return ms;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("CREATE TABLE plain (LIKE target INCLUDING ALL)");
  const t0 = performance.now();
  const BATCH = 10_000;
  for (let s = 0; s < rows.length; s += BATCH) {
    const part = rows.slice(s, s + BATCH);
    const cols = [0, 1, 2, 3, 4, 5, 6].map((c) => part.map((r) => r[c]));
    await client.query(
      `INSERT INTO plain (external_id, first_name, last_name, email, phone_number, subscription_email, subscription_sms, custom, created_at, updated_at)
       SELECT e, f, l, m, p, se, ss, '{}', now(), now()
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bool[], $7::bool[]) AS u(e, f, l, m, p, se, ss)`,
      cols,
    );
  }
  const ms = performance.now() - t0;
  await client.end();
  return ms;
}

const rate = (ms: number) => Math.round((N / ms) * 1000).toLocaleString("en-GB");
for (const dialect of dialects) {
  const { coldMs, latencyMs, pipelineMs, plainMs } = await pipeline(dialect);
  console.log(
    `${dialect.padEnd(10)} pipeline ${rate(pipelineMs).padStart(8)} records/s (${(pipelineMs / 1000).toFixed(1)} s)` +
      ` | plain insert ${rate(plainMs).padStart(9)} rows/s (${(plainMs / 1000).toFixed(2)} s)` +
      ` | ratio ${(plainMs / pipelineMs).toFixed(2)} | 1,000-record job ready in ${Math.round(latencyMs)} ms` +
      ` (first of the process ${Math.round(coldMs)} ms)`,
  );
}
process.exit(0);
