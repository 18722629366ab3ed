// The wizard's check of a whole file before it is sent, with the server's own
// rules (normaliseRecord, CSV semantics: an empty cell changes nothing), plus
// external_ids repeated inside the file. Runs in a Web Worker; pure.
//
// Conflicts inside the file are found by the merge's own code (applyRecords)
// run against an empty store, record by record, as if Reject were chosen: so
// a member's later row that moves their email away frees it for the next
// member, exactly as in the merge. Only email and phone are kept per member
// (all that conflicts depend on), so a 1M-row file stays affordable.
import { applyRecords, WorkingSet } from "../merge/apply-records";
import { fieldNoun, type FieldCatalog } from "../fields";
import { problemMessage, type ColumnsRead } from "../formats/unread";
import { normaliseRecord, type TargetPatch } from "../records/normalise-record";

export type ProblemKind = { key: string; label: string };
export type ProblemSummary = {
  key: string;
  label: string;
  rows: number;
  examples: { row: number; externalId: string | null; message: string }[];
};
export type CheckSummary = {
  rowsChecked: number;
  /** rows that will be rejected whatever the conflict choice */
  rowsWithProblems: number;
  /** rows whose email or phone an earlier row of another member sets: rejected under Reject */
  rowsInConflict: number;
  problems: ProblemSummary[];
};

const MAX_EXAMPLES = 5;

// each problem's label names its field as the field table does
const LABELS: Record<string, (field: string) => string> = {
  invalid_email: () => `invalid ${fieldNoun("email")}`,
  invalid_phone_number: () => `invalid ${fieldNoun("phone_number")}`,
  unknown_field: (f) => `unknown field ${f}`,
  invalid_value: (f) => (f === "external_id" ? "missing or invalid external_id" : `invalid ${fieldNoun(f)}`),
  repeated_external_id: () => "external_id repeated in this file (the later row updates the earlier one)",
  shared_email: () => `${fieldNoun("email")} also on another member's row in this file (rejected if you choose Reject)`,
  shared_phone_number: () => `${fieldNoun("phone_number")} also on another member's row in this file (rejected if you choose Reject)`,
};

export class RowChecker {
  private rowsChecked = 0;
  private readonly problemRows = new Set<number>();
  private readonly byKey = new Map<string, ProblemSummary>();
  private readonly seenIds = new Map<string, number>();
  private readonly conflictRows = new Set<number>();
  /** The file's members as the merge would leave them (emails and phones only), under Reject. */
  private readonly ws = new WorkingSet();
  /** external_id → the row that last changed that member, to name it in a message. */
  private readonly lastRow = new Map<string, number>();

  /** `columns`: the file's mapping and formats, to word a problem in the terms of its column's format. */
  constructor(private readonly opts: { catalog: FieldCatalog; phoneRegion: string; columns?: ColumnsRead }) {}

  private note(key: string, label: string, row: number, externalId: string | null, message: string) {
    let s = this.byKey.get(key);
    if (!s) this.byKey.set(key, (s = { key, label, rows: 0, examples: [] }));
    s.rows++;
    if (s.examples.length < MAX_EXAMPLES) s.examples.push({ row, externalId, message });
  }

  /** `row` is the 1-based data row number; `record` maps field keys to cells; `asRead`: the row's cells before its formats. */
  add(row: number, record: Record<string, string>, asRead?: readonly string[]): void {
    this.rowsChecked++;
    const result = normaliseRecord(record, { ...this.opts, source: "csv" });
    if (!result.ok) {
      this.problemRows.add(row);
      const seen = new Set<string>();
      for (const p of result.problems) {
        const key = `${p.code}:${p.field}`;
        if (seen.has(key)) continue; // count a row once per kind
        seen.add(key);
        const message = asRead && this.opts.columns ? problemMessage(p, asRead, this.opts.columns) : p.message;
        this.note(key, LABELS[p.code](p.field), row, result.externalId, message);
      }
      return;
    }
    const id = result.patch.externalId;
    const attrs: TargetPatch["attrs"] = {};
    if (result.patch.attrs.email !== undefined) attrs.email = result.patch.attrs.email;
    if (result.patch.attrs.phone_number !== undefined) attrs.phone_number = result.patch.attrs.phone_number;
    const before = this.ws.targets.get(id);
    const { errors } = applyRecords([{ ok: true, patch: { externalId: id, attrs, custom: {} } }], row - 1, "reject", this.ws);
    if (errors.length > 0) this.conflictRows.add(row);
    for (const e of errors) {
      const key = e.field as "email" | "phone_number";
      const value = result.patch.attrs[key];
      const holders = (e.conflictingExternalIds ?? []).map((h) => `row ${this.lastRow.get(h)} (${h})`).join(", ");
      this.note(`shared_${key}`, LABELS[`shared_${key}`](key), row, id, `${value} is also on ${holders}`);
    }
    if (this.ws.targets.get(id) !== before) this.lastRow.set(id, row);
    // what the merge would write back is of no use here: do not keep it
    this.ws.dirty.clear();
    this.ws.firstWrite.clear();
    const first = this.seenIds.get(id);
    if (first !== undefined) {
      this.note("repeated_external_id", LABELS.repeated_external_id(""), row, id, `${id} is also on row ${first}`);
    } else this.seenIds.set(id, row);
  }

  /** Rows that would be rejected (repeats are not: they update). */
  rejectedRows(): ReadonlySet<number> {
    return this.problemRows;
  }

  summary(): CheckSummary {
    return {
      rowsChecked: this.rowsChecked,
      rowsWithProblems: this.problemRows.size,
      rowsInConflict: this.conflictRows.size,
      problems: [...this.byKey.values()].sort((a, b) => b.rows - a.rows),
    };
  }
}
