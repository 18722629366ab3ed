// What the whole of a column says about its format, gathered in one pass
// over every value (in the wizard's Web Worker), in bounded memory: counts
// of evidence, the first few distinct values.
import { addDateEvidence, emptyDateEvidence, type DateEvidence } from "./dates";
import { flagKey } from "./flags";
import { addNumberEvidence, emptyNumberEvidence, type NumberEvidence } from "./numbers";

/** Distinct values kept per column (flag choices, the preview, a phone region's test). */
export const MAX_DISTINCT = 30;

export type ColumnStats = {
  blank: number;
  nonBlank: number;
  dates: DateEvidence;
  numbers: NumberEvidence;
  /** The first MAX_DISTINCT distinct values, trimmed, as written. */
  samples: string[];
  /** flagKey → count, for the first MAX_DISTINCT distinct keys; `moreFlagValues` when there were others. */
  flagValues: Record<string, number>;
  moreFlagValues: boolean;
  /** The region the column's national phone numbers read best in (set by the worker: lib/formats/phones.ts guessRegion). */
  phoneRegion?: string;
};

export function emptyStats(): ColumnStats {
  return { blank: 0, nonBlank: 0, dates: emptyDateEvidence(), numbers: emptyNumberEvidence(), samples: [], flagValues: {}, moreFlagValues: false };
}

/** Adds one cell of the column. */
export function addToStats(s: ColumnStats, cell: string): void {
  const v = cell.trim();
  if (v === "") {
    s.blank++;
    return;
  }
  s.nonBlank++;
  if (v.length > 64) return; // no date, number, flag or phone is this long
  addDateEvidence(s.dates, v);
  addNumberEvidence(s.numbers, v);
  const k = flagKey(v);
  if (Object.hasOwn(s.flagValues, k)) s.flagValues[k]++;
  else if (Object.keys(s.flagValues).length < MAX_DISTINCT) s.flagValues[k] = 1;
  else s.moreFlagValues = true;
  if (s.samples.length < MAX_DISTINCT && !s.samples.includes(v)) s.samples.push(v);
}

/** Collects the stats of every column of a file, row by row. */
export class StatsCollector {
  readonly columns: ColumnStats[] = [];

  add(row: readonly string[]): void {
    for (let i = 0; i < row.length; i++) addToStats((this.columns[i] ??= emptyStats()), row[i] ?? "");
  }

  /** Stats for `width` columns (a column no row reached is all blank). */
  result(width: number): ColumnStats[] {
    return Array.from({ length: Math.max(width, this.columns.length) }, (_, i) => this.columns[i] ?? emptyStats());
  }
}
