"use client";

// Each mapped column's format: suggested from every value of the column (a
// scan in the Web Worker once the file is chosen), changeable by the user. A
// column that cannot tell (03/04/2020 only) has no format until the user
// chooses one, and the check waits for that: nothing is guessed silently.
import { useEffect, useMemo, useState } from "react";
import { fitsFamily, formatFamily, type ColumnFormat, type FormatFamily } from "@/lib/formats/column-format";
import type { ColumnStats } from "@/lib/formats/column-stats";
import { suggestFormat, type Suggestion } from "@/lib/formats/suggest";
import type { CsvWorker, Preview } from "./use-csv-worker";
import type { Formats } from "./worker-protocol";

export type ColumnFormatView = {
  family: FormatFamily | null;
  suggestion: Suggestion | null;
  /** The format in force: the user's choice, else the suggestion (null: to be chosen). */
  format: ColumnFormat | null;
  stats: ColumnStats | null;
};

export type ColumnFormats = {
  columns: ColumnFormatView[];
  /** Every column's format, once the scan is done and nothing is left to choose. */
  formats: Formats | null;
  /** What is left to choose, as a message; null when nothing is. */
  error: string | null;
  /** Rows read by the running scan; null once it is done. */
  scanning: number | null;
  choose(column: number, format: ColumnFormat): void;
};

export function useColumnFormats(props: {
  csv: CsvWorker;
  file: File | null;
  preview: Preview | null;
  mapping: string[];
  catalog: [string, string][];
  phoneRegion: string;
}): ColumnFormats {
  const { csv, file, preview, mapping, catalog, phoneRegion } = props;
  // each keyed by the preview it belongs to: a new file starts afresh
  const [scan, setScan] = useState<{ of: Preview; rows: number; stats: ColumnStats[] | null } | null>(null);
  const [chosen, setChosen] = useState<{ of: Preview | null; byColumn: Record<number, ColumnFormat> }>({ of: null, byColumn: {} });

  useEffect(() => {
    if (!file || !preview) return;
    const timer = setTimeout(() => {
      setScan({ of: preview, rows: 0, stats: null });
      csv.scan(file, phoneRegion, {
        progress: (rows) => setScan({ of: preview, rows, stats: null }),
        done: (stats) => setScan({ of: preview, rows: 0, stats }),
        error: () => setScan({ of: preview, rows: 0, stats: [] }), // the check reports the file's error
      });
    }, 0);
    return () => clearTimeout(timer);
  }, [csv, file, preview, phoneRegion]);

  const stats = scan?.of === preview ? scan.stats : null;
  const byColumn = useMemo(() => (chosen.of === preview ? chosen.byColumn : {}), [chosen, preview]);
  return useMemo(() => {
    const kinds = new Map(catalog);
    const columns = (preview?.headers ?? []).map((_, i): ColumnFormatView => {
      const family = formatFamily(mapping[i] ?? "", kinds);
      const s = stats?.[i] ?? null;
      const suggestion = s && family ? suggestFormat(family, s, phoneRegion) : null;
      const own = byColumn[i];
      const format = !family ? null : own && fitsFamily(own, family) ? own : (suggestion?.format ?? null);
      return { family, suggestion, format, stats: s };
    });
    const ask = columns.findIndex((c) => c.family && c.suggestion && !c.format);
    // the question itself is asked once, beside the column's field
    const error = ask >= 0 && preview ? `Choose how to read the column “${preview.headers[ask]}” (its question is beside it); the file is checked once it is answered.` : null;
    return {
      columns,
      formats: stats && !error ? columns.map((c) => c.format) : null,
      error,
      scanning: stats ? null : (scan?.rows ?? 0),
      // an updater: a saved mapping chooses several columns in one event
      choose: (column, format) =>
        setChosen((c) => ({ of: preview, byColumn: { ...(c.of === preview ? c.byColumn : {}), [column]: format } })),
    };
  }, [preview, mapping, catalog, stats, byColumn, phoneRegion, scan]);
}
