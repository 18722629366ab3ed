// What an index costs the merge: batches of 1,000 members through
// writeTargets (the merge's own write) into a table of BENCH_COST_ROWS
// (200,000), with the index and without, in alternating rounds so load from
// elsewhere falls on both alike. BENCH_COST_INDEX picks which:
// - filters (default, decision 027): the three custom fields' filter
//   indexes; every other batch changes each member's three custom values,
//   the others change a name and leave the custom values as they were (the
//   row is rewritten all the same);
// - name (decision 031): the name index on (search_last, search_first,
//   external_id) against the one-column search_last index it replaced;
//   every other batch creates new members, the others change a first name.
//   node $npm_package_config_nodeTs bench/index-cost.ts
// BENCH_DIALECTS picks the databases (both by default), one after the other.
import { execFileSync } from "node:child_process";
import { setFilterable, syncFilterIndexes } from "../lib/custom-fields/filter-indexes";
import { createDb, type Db } from "../lib/db/client";
import type { TargetState } from "../lib/targets/target-state";
import { writeTargets } from "../lib/targets/target-store";
import { config } from "./config";
import { freshDatabase } from "./database";
import { CUSTOM_FIELDS, memberAt, rng } from "./members-data";
import { dist } from "./report";

const ROWS = Number(process.env.BENCH_COST_ROWS ?? 200_000);
const BATCH = 1_000;
const ROUNDS = 5;
const VARIANT = process.env.BENCH_COST_INDEX === "name" ? "name" : "filters";
const NAME_INDEX = "target_search_last_search_first_external_id_idx";
const BATCHES_PER_ROUND = 20;

async function seed(db: Db): Promise<void> {
  for (let start = 1; start <= ROWS; start += 5_000) {
    const part: TargetState[] = [];
    for (let i = start; i < Math.min(start + 5_000, ROWS + 1); i++) part.push(memberAt(i));
    await db.sql.tx((q) => writeTargets(q, part, new Date("2026-01-01T00:00:00Z"), 1, { created: true }));
  }
}

type Change = "custom" | "name" | "created";
const CHANGES: readonly [Change, Change] = VARIANT === "name" ? ["created", "name"] : ["custom", "name"];
const CHANGE_LABEL: Record<Change, string> = { custom: "3 custom values changed", name: "a name changed, custom values kept", created: "new members" };

/** Puts the variant's index in place (`indexed`) or its alternative; returns how long building took. */
async function setIndexes(db: Db, indexed: boolean): Promise<number> {
  const t0 = performance.now();
  if (VARIANT === "filters") {
    for (const f of CUSTOM_FIELDS) await setFilterable(db, f.slug, indexed);
    await syncFilterIndexes(db.sql);
  } else if (indexed) {
    await db.sql.run(`CREATE INDEX IF NOT EXISTS ${NAME_INDEX} ON target (search_last, search_first, external_id)`);
    await db.sql.run("DROP INDEX IF EXISTS target_search_last_idx");
  } else {
    await db.sql.run("CREATE INDEX IF NOT EXISTS target_search_last_idx ON target (search_last)");
    await db.sql.run(`DROP INDEX IF EXISTS ${NAME_INDEX}`);
  }
  return performance.now() - t0;
}

let created = 0;

/** Times one batch: 1,000 existing members, each with new values in all three fields, or a new first name. */
async function batch(db: Db, pick: () => number, n: number, change: Change): Promise<number> {
  const members: TargetState[] = [];
  const seen = new Set<number>();
  while (change === "created" && members.length < BATCH) members.push(memberAt(ROWS + ++created));
  while (members.length < BATCH) {
    const i = 1 + Math.floor(pick() * ROWS);
    if (seen.has(i)) continue;
    seen.add(i);
    const m = memberAt(i);
    if (change === "name") m.attrs.first_name = `Name${n}`;
    else m.custom = { branch: `Branch ${Math.floor(pick() * 300)}`, dues: Math.round(pick() * 2500) / 100, joined: `20${10 + Math.floor(pick() * 15)}-0${1 + Math.floor(pick() * 9)}-1${Math.floor(pick() * 9)}` };
    members.push(m);
  }
  const t0 = performance.now();
  await db.sql.tx((q) => writeTargets(q, members, new Date(Date.UTC(2026, 1, 1, 0, 0, n)), 2 + n, change === "created" ? { created: true } : undefined));
  return performance.now() - t0;
}

async function run(dialect: "sqlite" | "postgresql"): Promise<void> {
  const fresh = await freshDatabase(dialect);
  execFileSync(process.execPath, [...process.execArgv, "scripts/migrate.ts"], { cwd: config.root, env: { ...process.env, DATABASE_URL: fresh.url }, stdio: "inherit" });
  const db = createDb(fresh.url, { role: "engine" });
  try {
    for (const f of CUSTOM_FIELDS) await db.prisma.customField.create({ data: f });
    await seed(db);
    if (dialect === "postgresql") await db.sql.run("ANALYZE target");
    const pick = rng(11);
    const times = { with: { custom: [] as number[], name: [] as number[], created: [] as number[] }, without: { custom: [] as number[], name: [] as number[], created: [] as number[] } };
    const builds: number[] = [];
    let n = 0;
    for (let round = 0; round < ROUNDS * 2; round++) {
      const indexed = round % 2 === 0;
      const built = await setIndexes(db, indexed);
      if (indexed) builds.push(built);
      for (let b = 0; b < BATCHES_PER_ROUND; b++) {
        const change = CHANGES[b % 2];
        times[indexed ? "with" : "without"][change].push(await batch(db, pick, n++, change));
      }
    }
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const rate = (xs: number[]) => Math.round((BATCH * xs.length) / (sum(xs) / 1000));
    const what = VARIANT === "name" ? "the (last, first, id) name index against search_last alone" : "3 filter indexes";
    const out = [`[index-cost ${VARIANT} ${dialect}] ${what}; ${ROWS.toLocaleString("en-GB")} members, batches of ${BATCH}, ${ROUNDS} rounds each way; index builds ${builds.map((b) => Math.round(b)).join(", ")} ms`];
    for (const change of CHANGES) {
      const w = dist(times.with[change]);
      const wo = dist(times.without[change]);
      out.push(
        `  ${CHANGE_LABEL[change]} (n=${w.n}+${wo.n}): ` +
          `without p50 ${wo.p50} / mean ${wo.mean} / p95 ${wo.p95} ms (${rate(times.without[change])} rows/s); ` +
          `with p50 ${w.p50} / mean ${w.mean} / p95 ${w.p95} ms (${rate(times.with[change])} rows/s); ` +
          `slower by ${((sum(times.with[change]) / sum(times.without[change]) - 1) * 100).toFixed(0)}% (sum), ${((w.p50 / wo.p50 - 1) * 100).toFixed(0)}% (p50)`,
      );
    }
    console.log(out.join("\n"));
  } finally {
    await db.close();
    await fresh.drop();
  }
}

for (const dialect of config.dialects) await run(dialect);
