// members (issue 18): with BENCH_MEMBERS (1,000,000) members, a search or
// filter answers in under 50 ms at p95 measured at the server, and the CSV
// export of every member grows RSS by less than 100 MB. In-process, against
// a fresh database seeded through the merge's own writes (members-seed.ts):
// each request is what the members page does per request (its parameters
// parsed, then listPage: the count and the page read as it says), timed
// from the parameters to both answers, with no HTTP in between; the count is
// then timed alone beside it. A kind that misses
// prints its statements' plans. The export runs in a child process
// (members-export.ts) whose RSS is sampled every 100 ms.
import { execFileSync, fork } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { setFilterable, syncFilterIndexes } from "../../lib/custom-fields/filter-indexes";
import { createDb, type Db } from "../../lib/db/client";
import type { Params, SqlConn } from "../../lib/db/sql-conn";
import { memberQueryFromParams, memberQuerySchema } from "../../lib/targets/member-query";
import { countMembers, listPage } from "../../lib/targets/search-targets";
import { config, type Dialect } from "../config";
import { freshDatabase } from "../database";
import { sleep } from "../http";
import type { ExportDone } from "../members-export";
import { BRANCHES, CUSTOM_FIELDS, memberAt, rng } from "../members-data";
import { seedMembers, tableSizes, type Seeded } from "../members-seed";
import { check, dist, fmtInt, fmtS, line, printChecks, writeSummary, type Check, type Dist } from "../report";
import { mb } from "../rss";

const TARGET_MS = 50;
const EXPORT_TARGET_MB = 100;

type Answer = { ms: number; searchMs: number; countMs: number; found: number; more: boolean; next: string | null };
/** A kind of request: its inputs (URL parameters as the members page writes them), or a walk that follows the list's cursors. */
type Kind = { name: string; inputs?: string[]; walk?: { params: string; pages: number; skip?: number } };
type Measured = { name: string; request: Dist; search: Dist; count: Dist; found: { p50: number; more: number; none: number }; slowest: string; cut: boolean; times: number[] };

/**
 * One request as the members page makes it: parameters parsed, then the page
 * and its count. Timed one after the other, so that each part's time is its
 * own (on SQLite both run on the one thread anyway; the page asks for both at
 * once, which on PostgreSQL can only be faster than their sum).
 */
async function request(db: Db, params: string): Promise<Answer> {
  const t0 = performance.now();
  const query = memberQuerySchema.parse(memberQueryFromParams(new URLSearchParams(params)));
  // as the list route asks (lib/targets/list-members.ts); the count alone after, timed apart
  const { page } = await listPage(db, query);
  const t1 = performance.now();
  const count = await countMembers(db, query);
  const t2 = performance.now();
  return { ms: t1 - t0, searchMs: t1 - t0, countMs: t2 - t1, found: count.count, more: count.more, next: page.next };
}

const withCursor = (params: string, cursor: string) => {
  const p = new URLSearchParams(params);
  p.set("cursor", cursor);
  return p.toString();
};

/** A member's phone number as staff type it: 07400 123456, +447400123456, 7400123456. */
const phoneForms = (e164: string) => ({ national: `0${e164.slice(3, 7)} ${e164.slice(7)}`, e164, bare: e164.slice(3) });

function kindsFor(rows: number, seeded: Seeded, runs: number): Kind[] {
  const r = rng(7);
  const sample = Array.from({ length: runs }, () => memberAt(1 + Math.floor(r() * rows)));
  const at = <T>(list: readonly T[], k: number) => list[k % list.length];
  const each = (f: (k: number) => string) => Array.from({ length: runs }, (_, k) => f(k));
  const name = (k: number) => String(sample[k].attrs.last_name);
  const prefix = (k: number) => {
    const n = k % 3 === 0 && sample[k].attrs.first_name ? String(sample[k].attrs.first_name) : name(k);
    return n.slice(0, 2 + (k % 3));
  };
  // members who have one (a phone number or email staff type is someone's)
  const withPhone = sample.filter((m) => m.attrs.phone_number !== null);
  const withEmail = sample.filter((m) => m.attrs.email !== null);
  const phone = (k: number) => String(at(withPhone, k).attrs.phone_number);
  const email = (k: number) => String(at(withEmail, k).attrs.email);
  const q = (v: string, extra = "") => `q=${encodeURIComponent(v)}${extra}`;
  const farPages = Math.max(1, Math.min(2000, Math.floor(rows / 50) - runs - 1));
  return [
    { name: "no filter, first page", inputs: each(() => "") },
    { name: `no filter, pages 2-${farPages} following cursors`, walk: { params: "", pages: farPages } },
    { name: `no filter, pages ${farPages + 1}-${farPages + runs}`, walk: { params: "", pages: runs, skip: farPages } },
    { name: "no filter, external_id desc", walk: { params: "dir=desc", pages: runs } },
    { name: "q 1 character", inputs: each((k) => q(at([..."smjabcdklprtwhegno"], k))) },
    { name: "q name prefix 2-4 characters", inputs: each((k) => q(prefix(k))) },
    { name: "q full surname", inputs: each((k) => q(name(k))) },
    { name: "q accent-folded prefix", inputs: each((k) => q(at(["sian", "jose", "lukasz", "muller", "zoe", "francois", "bjorn", "soren", "nunez", "wisniewski", "sean", "ciaran", "nguyen", "yilmaz", "gross", "o'brien"], k))) },
    { name: "q accented as written", inputs: each((k) => q(at(["Siân", "José", "Łukasz", "Müller", "O'Brien", "Zoë", "Ní Bhriain", "Groß", "Wiśniewski", "Nguyễn"], k))) },
    { name: "q email prefix", inputs: each((k) => q(email(k).slice(0, 5 + (k % 8)))) },
    { name: "q full email", inputs: each((k) => q(email(k))) },
    { name: "q member-number prefix", inputs: each((k) => q(sample[k].externalId.slice(0, 4 + (k % 5)))) },
    { name: "q full member number", inputs: each((k) => q(k % 4 === 0 ? sample[k].externalId.toLowerCase() : sample[k].externalId)) },
    { name: "q phone 07400 123456", inputs: each((k) => q(phoneForms(phone(k)).national)) },
    { name: "q phone +447400123456", inputs: each((k) => q(phoneForms(phone(k)).e164)) },
    { name: "q phone 7400123456", inputs: each((k) => q(phoneForms(phone(k)).bare)) },
    { name: "q no match", inputs: each((k) => q(at(["zzqx", "xyzzy", `qq${k}`, "nobody@nowhere.invalid", "M9999999x", "ÿÿÿ"], k))) },
    { name: "flag, common value", inputs: each((k) => at(["email=yes", "sms=unknown", "phone=unknown", "whatsapp=unknown", "email=no", "sms=yes"], k)) },
    { name: "flag, rare value", inputs: each((k) => at(["whatsapp=yes", "phone=no", "email=unknown", "whatsapp=no"], k)) },
    { name: "two flags", inputs: each((k) => at(["email=yes&whatsapp=yes", "email=no&sms=yes", "sms=no&phone=yes"], k)) },
    { name: "custom text equal (branch)", inputs: each((k) => `field=branch&eq=${encodeURIComponent(at(BRANCHES, k * 7))}`) },
    { name: "custom float range (dues)", inputs: each((k) => at(["field=dues&min=5&max=10", "field=dues&min=15", "field=dues&max=5", "field=dues&min=7.25&max=7.25", "field=dues&min=19&max=25"], k)) },
    { name: "custom date range (joined)", inputs: each((k) => `field=joined&min=${1990 + (k % 35)}-01-01&max=${1990 + (k % 35)}-${k % 2 ? "01-31" : "12-31"}`) },
    { name: `changed by import (${fmtInt(seeded.bigImport.members)})`, inputs: each(() => `import=${seeded.bigImport.id}`) },
    { name: `changed by import (${seeded.smallImport.members})`, inputs: each(() => `import=${seeded.smallImport.id}`) },
    { name: "search + flag", inputs: each((k) => q(name(k), "&email=yes")) },
    { name: "search + import", inputs: each((k) => q(prefix(k), `&import=${seeded.bigImport.id}`)) },
    ...(["name", "updated_at"] as const).flatMap((sort) =>
      (["asc", "desc"] as const).flatMap((dir): Kind[] => [
        { name: `sort ${sort} ${dir}, no search`, walk: { params: `sort=${sort}&dir=${dir}`, pages: runs } },
        { name: `sort ${sort} ${dir}, with search`, inputs: each((k) => q(k % 2 ? name(k) : prefix(k), `&sort=${sort}&dir=${dir}`)) },
      ]),
    ),
  ];
}

/** Runs a kind: every input (or page of the walk), up to the time allowed; one warm-up first. */
async function measure(db: Db, kind: Kind, limitMs: number, say: (s: string) => void): Promise<Measured> {
  const answers: (Answer & { params: string })[] = [];
  const end = performance.now() + limitMs;
  let cut = false;
  if (kind.inputs) {
    await request(db, kind.inputs[0]);
    for (const params of kind.inputs) {
      if (performance.now() > end) {
        cut = true;
        break;
      }
      answers.push({ ...(await request(db, params)), params });
    }
  } else {
    const { params, pages, skip = 0 } = kind.walk!;
    let cursorParams = params;
    // the pages before the measured ones (no filter, page 2,000): followed, not counted
    for (let p = 0; p < skip; p++) {
      const a = await request(db, cursorParams);
      if (!a.next) break;
      cursorParams = withCursor(params, a.next);
    }
    if (skip === 0) await request(db, params);
    for (let p = 0; p < pages; p++) {
      if (performance.now() > end) {
        cut = true;
        break;
      }
      const a = await request(db, cursorParams);
      answers.push({ ...a, params: cursorParams });
      if (!a.next) break;
      cursorParams = withCursor(params, a.next);
    }
  }
  const slowest = answers.reduce((a, b) => (b.ms > a.ms ? b : a), answers[0]);
  const m: Measured = {
    name: kind.name,
    request: dist(answers.map((a) => a.ms)),
    search: dist(answers.map((a) => a.searchMs)),
    count: dist(answers.map((a) => a.countMs)),
    found: {
      p50: dist(answers.map((a) => a.found)).p50,
      more: answers.filter((a) => a.more).length,
      none: answers.filter((a) => a.found === 0).length,
    },
    slowest: slowest.params,
    cut,
    times: answers.map((a) => a.ms),
  };
  const found = `found p50 ${fmtInt(m.found.p50)}${m.found.more ? `, ${m.found.more}/${m.request.n} over 10,000` : ""}${m.found.none ? `, ${m.found.none}/${m.request.n} none` : ""}`;
  say(
    `  ${kind.name.padEnd(44)} p50 ${ms(m.request.p50)}  p95 ${ms(m.request.p95)}  max ${ms(m.request.max)}  n=${m.request.n}${cut ? " (time limit)" : ""}` +
      `  [count alone p95 ${ms(m.count.p95)}; ${found}]`,
  );
  return m;
}

const ms = (v: number) => `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`.padStart(8);

/** A Db whose statements are noted, to explain the ones a slow request ran. */
function recording(db: Db): { db: Db; statements: { sql: string; params: Params }[] } {
  const statements: { sql: string; params: Params }[] = [];
  const note = <F extends (sql: string, params?: Params) => unknown>(f: F) =>
    ((sql: string, params: Params = []) => {
      statements.push({ sql, params });
      return f(sql, params);
    }) as F;
  const sql: SqlConn = { ...db.sql, all: note(db.sql.all), get: note(db.sql.get) };
  return { db: { ...db, sql }, statements };
}

async function explain(db: Db, params: string): Promise<string[]> {
  const rec = recording(db);
  const query = memberQuerySchema.parse(memberQueryFromParams(new URLSearchParams(params)));
  await listPage(rec.db, query);
  const out: string[] = [];
  for (const s of rec.statements.filter((x) => /\bFROM target\b/.test(x.sql))) {
    out.push(`    ${s.sql.replace(/\s+/g, " ")}`);
    out.push(`    params: ${JSON.stringify(s.params).slice(0, 300)}`);
    if (db.dialect === "postgresql") {
      const plan = await db.sql.all<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${s.sql}`, s.params);
      for (const p of plan) out.push(`      ${p["QUERY PLAN"]}`);
    } else {
      const plan = await db.sql.all<{ id: number; parent: number; detail: string }>(`EXPLAIN QUERY PLAN ${s.sql}`, s.params);
      const depth = new Map<number, number>([[0, 0]]);
      for (const p of plan) {
        depth.set(p.id, (depth.get(p.parent) ?? 0) + 1);
        out.push(`      ${"  ".repeat(depth.get(p.id)! - 1)}${p.detail}`);
      }
      const t0 = performance.now();
      await db.sql.all(s.sql, s.params);
      out.push(`      (ran in ${Math.round(performance.now() - t0)} ms)`);
    }
  }
  return out;
}

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The export of every member in a child process, its RSS sampled every 100 ms. */
async function measureExport(url: string) {
  const child = fork(resolve(import.meta.dirname, "../members-export.ts"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const next = () =>
    new Promise<{ event: "ready" | "error"; message?: string } | ExportDone>((res, rej) => {
      child.once("message", res as (m: unknown) => void);
      child.once("exit", (code) => rej(new Error(`the export's process exited (code ${code})`)));
    });
  try {
    child.send({ url });
    const ready = await next();
    if (ready.event !== "ready") throw new Error(`export: ${"message" in ready ? ready.message : ready.event}`);
    await sleep(500);
    const beforeKb = rssKb(child.pid!);
    const samples: { t_ms: number; kb: number }[] = [];
    const t0 = performance.now();
    const timer = setInterval(() => samples.push({ t_ms: Math.round(performance.now() - t0), kb: rssKb(child.pid!) }), 100);
    const done = next();
    child.send({ go: true });
    const d = await done.finally(() => clearInterval(timer));
    if (d.event === "error") throw new Error(`export: ${d.message ?? d.event}`);
    const peakKb = Math.max(beforeKb, ...samples.map((s) => s.kb));
    if (d.event !== "done") throw new Error(`export: unexpected ${d.event}`);
    return { ...d, beforeKb, peakKb, samples };
  } finally {
    if (child.exitCode === null) child.kill("SIGTERM");
  }
}

/**
 * BENCH_MEMBERS_KEEP=<file.json>: the seeded database is kept and noted
 * there, and a later run with the same file reuses it (migrated first), so a
 * change to the plans can be measured again without seeding a million
 * members. BENCH_MEMBERS_ONLY=<regex>: only the kinds whose names match
 * (and the export only if "export" matches).
 */
type Kept = { dialect: Dialect; url: string; file?: string; seeded: Seeded; indexMs: number };

export async function members(dialect: Dialect) {
  const say = (s: string) => line("members", dialect, s);
  const keepFile = process.env.BENCH_MEMBERS_KEEP ? `${process.env.BENCH_MEMBERS_KEEP}.${dialect}` : null;
  const only = process.env.BENCH_MEMBERS_ONLY ? new RegExp(process.env.BENCH_MEMBERS_ONLY, "i") : null;
  const kept: Kept | null = keepFile && existsSync(keepFile) ? JSON.parse(readFileSync(keepFile, "utf8")) : null;
  const rows = kept?.seeded.rows ?? config.membersRows;
  const fresh = kept ? { dialect, url: kept.url, file: kept.file, drop: async () => {} } : await freshDatabase(dialect);
  let db: Db | undefined;
  try {
    // the real migration command, in its own process (its schema engine keeps the SQLite file locked)
    execFileSync(process.execPath, [...process.execArgv, "scripts/migrate.ts"], { cwd: config.root, env: { ...process.env, DATABASE_URL: fresh.url }, stdio: "inherit" });
    let seeded: Seeded;
    let indexMs: number;
    if (kept) {
      ({ seeded, indexMs } = kept);
      say(`reusing the database kept in ${keepFile} (${fmtInt(seeded.rows)} members)`);
    } else {
      // written as the engine writes (its connection settings), read as the web app reads
      const engineDb = createDb(fresh.url, { role: "engine" });
      say(`seeding ${fmtInt(rows)} members through writeTargets, ${fmtInt(5000)} a transaction …`);
      seeded = await seedMembers(engineDb, rows, say);
      // the custom fields marked filterable, their indexes built as the engine builds them when idle (decision 027)
      for (const f of CUSTOM_FIELDS) await setFilterable(engineDb, f.slug, true);
      const t0 = performance.now();
      await syncFilterIndexes(engineDb.sql);
      indexMs = performance.now() - t0;
      await engineDb.close();
      if (keepFile) {
        writeFileSync(keepFile, JSON.stringify({ dialect, url: fresh.url, file: fresh.file, seeded, indexMs } satisfies Kept));
        fresh.drop = async () => {};
      }
    }
    say(
      `seeded ${fmtInt(rows)} members in ${fmtS(seeded.seedMs)} = ${fmtInt((rows / seeded.seedMs) * 1000)} rows/s; ` +
        `then imports of ${fmtInt(seeded.bigImport.members)} and ${seeded.smallImport.members} members (1,000 a batch, with before-images) in ${fmtS(seeded.importsMs)}; ` +
        `statistics refreshed: ${seeded.analysed.join(", ") || "none"}; ` +
        `filter indexes of ${CUSTOM_FIELDS.map((f) => f.slug).join(", ")} built in ${fmtS(indexMs)}${dialect === "postgresql" ? " (CONCURRENTLY, then ANALYZE)" : ""}`,
    );
    db = createDb(fresh.url);
    const sizes = await tableSizes(db);
    say(`sizes: ${Object.entries(sizes).map(([n, b]) => `${n} ${(b / 1e6).toFixed(1)} MB`).join(", ")}`);

    const runs = config.membersRuns;
    const kinds = kindsFor(rows, seeded, runs).filter((k) => !only || only.test(k.name));
    say(`requests (listPage: the count, then the page, as the members page asks for both), ${runs} inputs a kind, target p95 < ${TARGET_MS} ms:`);
    const measured: Measured[] = [];
    for (const kind of kinds) measured.push(await measure(db, kind, config.membersKindLimitS * 1000, say));
    const overall = dist(measured.flatMap((m) => m.times));
    say(`all requests: p50 ${ms(overall.p50)}, p95 ${ms(overall.p95)}, max ${ms(overall.max)} (n=${overall.n}); kinds with p95 < ${TARGET_MS} ms: ${measured.filter((m) => m.request.p95 < TARGET_MS).length} of ${measured.length}`);

    const checks: Check[] = measured.map((m) => check(`${m.name} p95 < ${TARGET_MS} ms`, m.request.p95 < TARGET_MS, `p95 ${m.request.p95} ms, max ${m.request.max} ms (n=${m.request.n})`));
    const missed = measured.filter((m) => m.request.p95 >= TARGET_MS);
    for (const m of missed) {
      say(`plan of "${m.name}", its slowest input (${decodeURIComponent(m.slowest) || "no parameters"}):`);
      for (const l of await explain(db, m.slowest)) say(l);
    }

    if (only && !only.test("export")) {
      printChecks("members", dialect, checks);
      return;
    }
    say(`export: every member as CSV (exportMembersCsv) to a sink that discards it, in a child process, RSS sampled every 100 ms …`);
    const ex = await measureExport(fresh.url);
    const growthMb = mb(ex.peakKb - ex.beforeKb);
    say(
      `export: ${fmtInt(ex.lines - 1)} members (${(ex.bytes / 1e6).toFixed(1)} MB) in ${fmtS(ex.ms)} = ${fmtInt(((ex.lines - 1) / ex.ms) * 1000)} members/s, first chunk after ${Math.round(ex.firstChunkMs)} ms; ` +
        `RSS before ${mb(ex.beforeKb).toFixed(0)} MB, peak ${mb(ex.peakKb).toFixed(0)} MB (sampled), growth ${growthMb.toFixed(0)} MB` +
        (ex.hwmKb ? `; kernel's peak RSS (VmHWM) since the start ${mb(ex.hwmKb).toFixed(0)} MB, ${mb(ex.hwmKb - ex.beforeKb).toFixed(0)} MB above before` : "") +
        `; at the end V8's heap ${ex.heapUsedMb} MB used of ${ex.heapTotalMb} MB, buffers ${ex.externalMb} MB`,
    );
    checks.push(
      check(`export RSS growth < ${EXPORT_TARGET_MB} MB`, growthMb < EXPORT_TARGET_MB && ex.lines - 1 === rows, `${growthMb.toFixed(0)} MB, ${fmtInt(ex.lines - 1)} of ${fmtInt(rows)} members`),
    );
    printChecks("members", dialect, checks);
    const path = writeSummary("members", dialect, {
      rows,
      seed: { filter_indexes_ms: Math.round(indexMs), ms: Math.round(seeded.seedMs), rows_per_s: Math.round((rows / seeded.seedMs) * 1000), imports_ms: Math.round(seeded.importsMs), analysed: seeded.analysed },
      sizes_bytes: sizes,
      requests: overall,
      kinds: measured.map((m) => ({ ...m, times: undefined })),
      export: { ...ex, samples: undefined, rss_samples: ex.samples, growth_mb: growthMb },
      checks,
    });
    say(`summary: ${path}`);
  } finally {
    await db?.close();
    await fresh.drop();
  }
}
