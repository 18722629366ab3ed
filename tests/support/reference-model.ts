// A reference model of the contract's rules, written independently of
// lib/merge: records are applied one at a time to a Map, conflicts are found
// by scanning every target, a dry run works on a copy it throws away, and a
// revert goes through what the job changed, backwards. Slow and obviously right.
export type RefProblem = { code: string; field: string };
export type RefRecord = {
  raw: Record<string, unknown>;
  externalId: string;
  problems: RefProblem[];
  /** canonical values the record sets; null clears */
  sets: Record<string, string | number | boolean | null>;
};
export type RefTarget = Record<string, string | number | boolean | null>;
export type RefEntry = { position: number; code: string; field: string; conflicting?: string[] };
export type RefOutcome = {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  conflictsIgnored: number;
  fieldChanges: Record<string, number>;
  entries: RefEntry[];
};
export type RefRevertEntry = { externalId: string | null; code: "changed_since" | "conflict"; conflicting?: string[] };
export type RefRevertOutcome = { total: number; deleted: number; restored: number; skipped: number; entries: RefRevertEntry[] };

type Change = { externalId: string; ordinal: number; before: RefTarget | null; erased: boolean };

const same = (a: RefTarget, b: RefTarget) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));

export class ReferenceModel {
  readonly targets = new Map<string, RefTarget>();
  /** the seq of the last real job or revert that wrote each target */
  readonly lastWriter = new Map<string, number>();
  /** what each real job changed, by its seq, in the order it first wrote them */
  private readonly changes = new Map<number, Change[]>();

  /** A job in its turn: `seq` is its place in the acceptance order; a dry run changes nothing. */
  applyJob(records: RefRecord[], strategy: "reject" | "ignore", opts: { seq?: number; dryRun?: boolean } = {}): RefOutcome {
    const targets = opts.dryRun ? new Map(this.targets) : this.targets;
    const changed: Change[] = [];
    const out: RefOutcome = { total: records.length, created: 0, updated: 0, unchanged: 0, rejected: 0, conflictsIgnored: 0, fieldChanges: {}, entries: [] };
    records.forEach((rec, position) => {
      if (rec.problems.length) {
        out.rejected++;
        for (const p of rec.problems) out.entries.push({ position, code: p.code, field: p.field });
        return;
      }
      const conflicts: RefEntry[] = [];
      for (const key of ["email", "phone_number"]) {
        const v = rec.sets[key];
        if (v === undefined || v === null || v === "") continue;
        const others = [...targets.entries()]
          .filter(([id, t]) => id !== rec.externalId && t[key] === v)
          .map(([id]) => id)
          .sort();
        if (others.length) {
          conflicts.push({ position, code: strategy === "reject" ? "conflict" : "conflict_ignored", field: key, conflicting: others });
        }
      }
      out.entries.push(...conflicts);
      if (conflicts.length && strategy === "reject") {
        out.rejected++;
        return;
      }
      if (conflicts.length) out.conflictsIgnored++;
      const current = targets.get(rec.externalId);
      const next: RefTarget = { ...(current ?? {}) };
      for (const [k, v] of Object.entries(rec.sets)) {
        if (v === null) delete next[k];
        else next[k] = v;
      }
      if (current && same(current, next)) {
        out.unchanged++;
        return;
      }
      if (!current) out.created++;
      else {
        out.updated++;
        for (const k of new Set([...Object.keys(current), ...Object.keys(next)])) {
          if ((current[k] ?? null) !== (next[k] ?? null)) out.fieldChanges[k] = (out.fieldChanges[k] ?? 0) + 1;
        }
      }
      if (!changed.some((c) => c.externalId === rec.externalId)) {
        changed.push({ externalId: rec.externalId, ordinal: position, before: current ? { ...current } : null, erased: false });
      }
      targets.set(rec.externalId, next);
      if (!opts.dryRun) this.lastWriter.set(rec.externalId, opts.seq ?? 0);
    });
    if (!opts.dryRun && opts.seq !== undefined) this.changes.set(opts.seq, changed);
    return out;
  }

  /** A revert (itself at `seq`) of the real job at `jobSeq`, in its turn. */
  revert(jobSeq: number, seq: number): RefRevertOutcome {
    const changes = [...(this.changes.get(jobSeq) ?? [])].sort((a, b) => b.ordinal - a.ordinal);
    const out: RefRevertOutcome = { total: changes.length, deleted: 0, restored: 0, skipped: 0, entries: [] };
    for (const c of changes) {
      const current = this.targets.get(c.externalId);
      if (c.erased || !current || this.lastWriter.get(c.externalId) !== jobSeq) {
        out.skipped++;
        out.entries.push({ externalId: c.erased ? null : c.externalId, code: "changed_since" });
        continue;
      }
      if (c.before === null) {
        this.targets.delete(c.externalId);
        this.lastWriter.delete(c.externalId);
        out.deleted++;
        continue;
      }
      const conflicting = new Set<string>();
      for (const key of ["email", "phone_number"]) {
        const v = c.before[key];
        if (v === undefined || v === null || v === current[key]) continue;
        for (const [id, t] of this.targets) if (id !== c.externalId && t[key] === v) conflicting.add(id);
      }
      if (conflicting.size) {
        out.skipped++;
        out.entries.push({ externalId: c.externalId, code: "conflict", conflicting: [...conflicting].sort() });
        continue;
      }
      this.targets.set(c.externalId, { ...c.before });
      this.lastWriter.set(c.externalId, seq);
      out.restored++;
    }
    return out;
  }

  /** DELETE /api/targets/<id>: gone at once, and from what reverts keep. */
  erase(externalId: string): void {
    this.targets.delete(externalId);
    this.lastWriter.delete(externalId);
    for (const list of this.changes.values()) for (const c of list) if (c.externalId === externalId) c.erased = true;
  }
}

export function sortKeys(o: RefTarget): RefTarget {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Small seeded PRNG (mulberry32), so a failing seed can be replayed. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T,>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    chance: (p: number) => next() < p,
  };
}

type Rng = ReturnType<typeof rng>;

const EMAILS = ["ann@example.org", "bob@example.org", "cy@example.net", "dee@union.org.uk", "eve@example.com"];
const PHONE_SUFFIXES = ["10", "11", "12", "13", "14"];

/**
 * A random record over a small pool of ids, emails and phone numbers, so
 * that repeats, collisions and clears are frequent. `sets` holds what the
 * contract says the stored value must be.
 */
export function randomRecord(r: Rng, idPool: number): RefRecord {
  const raw: Record<string, unknown> = {};
  const sets: RefRecord["sets"] = {};
  const problems: RefProblem[] = [];
  const n = r.int(idPool);
  let externalId = `M${n}`;
  const idForm = r.int(10);
  if (idForm === 0) {
    raw.external_id = n; // integer id
    externalId = String(n);
  } else if (idForm === 1) raw.external_id = `  M${n} `;
  else raw.external_id = `M${n}`;

  if (r.chance(0.5)) {
    const f = r.int(8);
    if (f === 0) [raw.first_name, sets.first_name] = [null, null];
    else if (f === 1) [raw.first_name, sets.first_name] = ["", null];
    else if (f === 2) [raw.first_name, sets.first_name] = [42, "42"];
    else {
      const name = r.pick(["Ann", "Bob", "Cy"]);
      raw.first_name = r.chance(0.3) ? ` ${name} ` : name;
      sets.first_name = name;
    }
  }
  if (r.chance(0.6)) {
    const f = r.int(12);
    if (f === 0) [raw.email, sets.email] = [null, null];
    else if (f === 1) [raw.email, sets.email] = ["", null];
    else if (f === 2) {
      raw.email = "not-an-email@";
      problems.push({ code: "invalid_email", field: "email" });
    } else {
      const e = r.pick(EMAILS);
      raw.email = r.chance(0.3) ? ` ${e.toUpperCase()} ` : e;
      sets.email = e;
    }
  }
  if (r.chance(0.5)) {
    const f = r.int(12);
    if (f === 0) [raw.phone_number, sets.phone_number] = [null, null];
    else if (f === 1) {
      raw.phone_number = "12345";
      problems.push({ code: "invalid_phone_number", field: "phone_number" });
    } else {
      const s = r.pick(PHONE_SUFFIXES);
      raw.phone_number = r.chance(0.5) ? `07911 1234${s}` : `+4479111234${s}`;
      sets.phone_number = `+4479111234${s}`;
    }
  }
  if (r.chance(0.3)) {
    const v = r.pick([true, false, "yes", "NO", "1", "0", null, "maybe"] as const);
    raw.subscription_email = v;
    if (v === "maybe") problems.push({ code: "invalid_value", field: "subscription_email" });
    else sets.subscription_email = v === null ? null : v === true || v === "yes" || v === "1";
  }
  if (r.chance(0.25)) {
    const v = r.pick([1.5, "2", "1e3", null, "abc"] as const);
    raw.score = v;
    if (v === "abc") problems.push({ code: "invalid_value", field: "score" });
    else sets.score = v === null ? null : Number(v);
  }
  if (r.chance(0.03)) {
    raw.nope = "x";
    problems.push({ code: "unknown_field", field: "nope" });
  }
  return { raw, externalId, problems, sets };
}
