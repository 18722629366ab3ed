// The `members` scenario's database: BENCH_MEMBERS targets written through
// the merge's own writes (writeTargets, so the search columns are what the
// app stores), 5,000 to a transaction, as old imports whose history
// retention has since deleted, spread over a year; then two recent imports
// written as the engine writes a batch, with their before-images and
// target_change rows: one that changed 20% of the members (200,000 of a
// million) and one of 50. Then the statistics the engine would refresh, and
// the vacuum its housekeeping runs (lib/db/statistics.ts).
import { randomUUID } from "node:crypto";
import type { Db } from "../lib/db/client";
import { refreshStatistics, refreshVisibility } from "../lib/db/statistics";
import { insertBeforeImages, type Change } from "../lib/merge/before-images";
import type { TargetState } from "../lib/targets/target-state";
import { writeTargets } from "../lib/targets/target-store";
import { CUSTOM_FIELDS, memberAt, rng, updatedMember } from "./members-data";

const TX_ROWS = 5_000;
/** Rows written with one timestamp: 10 per transaction, so updated_at has many values. */
const WRITE_ROWS = 500;
/** Members in one old import. */
const OLD_IMPORT = 50_000;
/** The engine's batch (ENGINE_BATCH_SIZE's default). */
const ENGINE_BATCH = 1_000;
const DAY = 86_400_000;

export type SeededImport = { id: string; seq: number; members: number };
export type Seeded = { seedMs: number; rows: number; bigImport: SeededImport; smallImport: SeededImport; analysed: string[]; importsMs: number };

const seqOfMember = (i: number) => 1 + Math.floor((i - 1) / OLD_IMPORT);

async function addJob(db: Db, seq: number, created: number, updated: number, at: Date): Promise<string> {
  const id = randomUUID();
  await db.prisma.importJob.create({
    data: { id, seq, status: "ready", source: "records", conflictStrategy: "overwrite", staged: true, total: created + updated, processed: created + updated, created, updated, createdAt: at, startedAt: at, finishedAt: at },
  });
  return id;
}

/** Writes one recent import's members as the engine does: batches of 1,000, each with its before-images. */
async function writeImport(db: Db, seq: number, at: Date, members: number[]): Promise<SeededImport> {
  const id = await addJob(db, seq, 0, members.length, at);
  for (let from = 0; from < members.length; from += ENGINE_BATCH) {
    const part = members.slice(from, from + ENGINE_BATCH);
    await db.sql.tx(async (q) => {
      const changes: Change[] = [];
      const after: TargetState[] = [];
      part.forEach((i, k) => {
        const before = { ...memberAt(i), lastJobSeq: seqOfMember(i) };
        changes.push({ externalId: before.externalId, ordinal: from + k, before });
        after.push(updatedMember(before, i));
      });
      await writeTargets(q, after, new Date(at.getTime() + from * 10), seq);
      await insertBeforeImages(q, { id, seq }, changes);
    });
  }
  return { id, seq, members: members.length };
}

export async function seedMembers(db: Db, rows: number, say: (s: string) => void): Promise<Seeded> {
  for (const f of CUSTOM_FIELDS) await db.prisma.customField.create({ data: f });
  const now = Date.now();
  const yearAgo = now - 365 * DAY;
  const oldImports = seqOfMember(rows);
  for (let seq = 1; seq <= oldImports; seq++) {
    await addJob(db, seq, Math.min(OLD_IMPORT, rows - (seq - 1) * OLD_IMPORT), 0, new Date(yearAgo + ((seq - 1) * OLD_IMPORT * 330 * DAY) / rows));
  }

  const t0 = performance.now();
  for (let start = 1; start <= rows; start += TX_ROWS) {
    await db.sql.tx(async (q) => {
      for (let from = start; from < Math.min(start + TX_ROWS, rows + 1); from += WRITE_ROWS) {
        const part: TargetState[] = [];
        for (let i = from; i < Math.min(from + WRITE_ROWS, rows + 1); i++) part.push(memberAt(i));
        // members joined over the year up to a month ago
        await writeTargets(q, part, new Date(yearAgo + ((from - 1) * 330 * DAY) / rows), seqOfMember(from), { created: true });
      }
    });
    if ((start - 1) % 200_000 === 0 && start > 1) say(`  ${(start - 1).toLocaleString("en-GB")} members written`);
  }
  const seedMs = performance.now() - t0;

  // the recent imports: a fifth of the members (those whose draw picks them), and 50 spread over the list
  const t1 = performance.now();
  const big: number[] = [];
  const pick = rng(42);
  for (let i = 1; i <= rows; i++) if (pick() < 0.2) big.push(i);
  const small = Array.from({ length: 50 }, (_, k) => 1 + Math.floor((k * rows) / 50) + 17);
  const bigImport = await writeImport(db, oldImports + 1, new Date(now - 5 * DAY), big);
  const smallImport = await writeImport(db, oldImports + 2, new Date(now - DAY), small);
  const importsMs = performance.now() - t1;
  // as the engine does after its batches (PostgreSQL; nothing on SQLite)
  // what the engine does after its batches, then its housekeeping (within 10 minutes)
  const analysed = [...(await refreshStatistics(db.sql)), ...(await refreshVisibility(db.sql)).map((t) => `${t} (vacuumed)`)];
  return { seedMs, rows, bigImport, smallImport, analysed, importsMs };
}

/** Bytes of each table (PostgreSQL: with its TOAST) and index of the members list (name → bytes). */
export async function tableSizes(db: Db): Promise<Record<string, number>> {
  const names = ["target", "target_change", "import_change"];
  if (db.dialect === "postgresql") {
    const rows = await db.sql.all<{ name: string; bytes: number }>(
      `SELECT c.relname AS name, CASE WHEN c.relkind = 'i' THEN pg_relation_size(c.oid) ELSE pg_table_size(c.oid) END AS bytes FROM pg_class c
        WHERE c.relname = ANY(?::text[]) OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN (SELECT oid FROM pg_class WHERE relname = ANY(?::text[])))
        ORDER BY bytes DESC`,
      [names, names],
    );
    return Object.fromEntries(rows.map((r) => [r.name, Number(r.bytes)]));
  }
  const rows = await db.sql.all<{ name: string; bytes: number }>(
    `SELECT name, SUM(pgsize) AS bytes FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE tbl_name IN (${names.map(() => "?").join(", ")}))
      GROUP BY name ORDER BY bytes DESC`,
    names,
  );
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.bytes)]));
}
