// A reference model of the contract's merge rules, written independently of
// lib/merge: records are applied one at a time to a Map, and conflicts are
// found by scanning every target. Slow and obviously right.
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
  entries: RefEntry[];
};

export class ReferenceModel {
  readonly targets = new Map<string, RefTarget>();

  applyJob(records: RefRecord[], strategy: "reject" | "ignore"): RefOutcome {
    const out: RefOutcome = { total: records.length, created: 0, updated: 0, unchanged: 0, rejected: 0, conflictsIgnored: 0, entries: [] };
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
        const others = [...this.targets.entries()]
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
      const current = this.targets.get(rec.externalId);
      const next: RefTarget = { ...(current ?? {}) };
      for (const [k, v] of Object.entries(rec.sets)) {
        if (v === null) delete next[k];
        else next[k] = v;
      }
      if (!current) out.created++;
      else if (JSON.stringify(sortKeys(current)) === JSON.stringify(sortKeys(next))) out.unchanged++;
      else out.updated++;
      this.targets.set(rec.externalId, next);
    });
    return out;
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
