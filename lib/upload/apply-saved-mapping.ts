// A saved mapping applied to a file's headers. Columns are matched by their
// header (exactly first, then ignoring case, spaces and punctuation, as
// auto-map does), so a file whose columns moved still fits. The wizard says
// which columns matched nothing: nothing changes without the user seeing it.
import { setOwn } from "../set-own";
import { SKIP } from "../fields";
import type { MappingColumn } from "../saved-mappings/saved-mapping-schema";
import { headerKey } from "./auto-map";

export type AppliedMapping = {
  mapping: string[];
  /** header → format, for the columns that matched. */
  formats: Record<string, unknown>;
  /** Headers of the file the saved mapping does not name (left as `fallback` chose, unless that field is taken). */
  unmatched: string[];
  /** Columns of the saved mapping this file does not have. */
  missing: string[];
};

export function applySavedMapping(
  headers: string[],
  saved: { columns: MappingColumn[]; formats: Record<string, unknown> },
  fallback: string[],
): AppliedMapping {
  const used = new Set<number>();
  const pick = (same: (c: MappingColumn) => boolean) => {
    const j = saved.columns.findIndex((c, k) => !used.has(k) && same(c));
    if (j >= 0) used.add(j);
    return j;
  };
  // exact header matches first, so "Email" never takes "E-mail"'s field
  const match: number[] = headers.map((h) => pick((c) => c.column === h));
  headers.forEach((h, i) => {
    if (match[i] < 0) match[i] = pick((c) => headerKey(c.column) === headerKey(h) && headerKey(h) !== "");
  });
  const taken = new Set(match.filter((j) => j >= 0).map((j) => saved.columns[j].field).filter((f) => f !== SKIP));
  const formats: Record<string, unknown> = {};
  const mapping = headers.map((h, i) => {
    const j = match[i];
    if (j >= 0) {
      const col = saved.columns[j];
      if (Object.hasOwn(saved.formats, col.column)) {
        setOwn(formats, h, saved.formats[col.column]);
      }
      return col.field;
    }
    const guess = fallback[i] ?? SKIP;
    if (guess === SKIP || taken.has(guess)) return SKIP;
    taken.add(guess);
    return guess;
  });
  return {
    mapping,
    formats,
    unmatched: headers.filter((_, i) => match[i] < 0),
    missing: saved.columns.filter((_, j) => !used.has(j)).map((c) => c.column),
  };
}

/** How many of the file's headers a saved mapping names exactly (to list the fitting ones first). */
export function headersMatched(headers: string[], columns: MappingColumn[]): number {
  const names = new Set(columns.map((c) => c.column));
  return headers.filter((h) => names.has(h)).length;
}
