// The rows with problems, held in the wizard's worker for fixing in place:
// each row's cells as read (never the whole file), the edits (patches and
// replacements, lib/upload/row-edits.ts), and each row checked again with
// the same steps as the whole-file check: edits, formats, the server's rules.
import type { ColumnFormat } from "../formats/column-format";
import { rowConverter } from "../formats/convert";
import { problemMessage } from "../formats/unread";
import { normaliseRecord } from "../records/normalise-record";
import type { CustomFieldKind } from "../fields";
import { cellsToRecords } from "../records/cells-to-records";
import { rowEditor, withPatch, withReplacement, type RowEdits } from "./row-edits";

/** The most problem rows held for fixing; the rest are still counted. */
export const MAX_FIX_ROWS = 50_000;

export type FixProblem = { column: number; field: string; message: string };
export type FixRow = { row: number; cells: string[]; problems: FixProblem[] };

/** How rows are checked (the mapping, formats, fixes, catalog, region): the whole-file check and the fix session both take it. */
export type FixOptions = {
  mapping: string[];
  formats: (ColumnFormat | null)[];
  catalog: [string, string][];
  phoneRegion: string;
  edits: RowEdits;
};

export class FixSession {
  /** data row → its cells as read, and the row as last checked (with the edits of that time) */
  private readonly held = new Map<number, { cells: string[]; checked: FixRow }>();
  private edit: (row: number, cells: string[]) => string[];
  private readonly convert: (row: string[]) => string[];
  private readonly catalog: Map<string, CustomFieldKind>;
  /** problem rows seen, held or not */
  total = 0;

  constructor(
    private readonly opts: FixOptions,
    private edits = opts.edits,
  ) {
    this.edit = rowEditor(edits);
    this.convert = rowConverter(opts.formats, opts.phoneRegion);
    this.catalog = new Map(opts.catalog as [string, CustomFieldKind][]);
  }

  /** A row of the file, as read; kept when it has problems. */
  add(row: number, cells: string[]): void {
    const checked = this.check(row, cells);
    if (checked.problems.length === 0) return;
    this.total++;
    if (this.held.size < MAX_FIX_ROWS) this.held.set(row, { cells, checked });
  }

  /** A row with the edits applied, checked. */
  private check(row: number, cells: string[]): FixRow {
    const edited = this.edit(row, cells);
    const [record] = cellsToRecords(this.opts.mapping, [this.convert(edited)]);
    const result = normaliseRecord(record, { catalog: this.catalog, phoneRegion: this.opts.phoneRegion, source: "csv" });
    const problems = result.ok
      ? []
      : result.problems.map((p) => ({ column: this.opts.mapping.indexOf(p.field), field: p.field, message: problemMessage(p, edited, this.opts) }));
    return { row, cells: edited, problems };
  }

  /** The held rows as last checked. */
  rows(): FixRow[] {
    return [...this.held.values()].map((h) => h.checked);
  }

  currentEdits(): RowEdits {
    return this.edits;
  }

  /** A cell edited; the row checked again. */
  patch(row: number, column: number, value: string): FixRow | null {
    const held = this.held.get(row);
    if (!held) return null;
    this.edits = withPatch(this.edits, row, column, value);
    this.edit = rowEditor(this.edits);
    held.checked = this.check(row, held.cells);
    return held.checked;
  }

  /** A value replaced everywhere in a column; every held row checked again. */
  replace(column: number, from: string, to: string): FixRow[] {
    this.edits = withReplacement(this.edits, column, from, to);
    this.edit = rowEditor(this.edits);
    for (const [row, held] of this.held) held.checked = this.check(row, held.cells);
    return this.rows();
  }
}
