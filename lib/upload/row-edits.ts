// Fixes made in the wizard, kept beside the file rather than in a copy of it:
// a patch per edited cell (data row, column → value) and "replace
// everywhere" rules (in a column, this value → that one). They apply to the
// cells as read, before the columns' formats, in the check and the upload alike.
import { z } from "zod";

export const rowEditsSchema = z.object({
  /** [row (1-based data row), column, value] */
  patches: z.array(z.tuple([z.number().int().min(1), z.number().int().min(0), z.string()])),
  /** In `column`, a cell that is `from` (trimmed) becomes `to`. */
  replacements: z.array(z.object({ column: z.number().int().min(0), from: z.string(), to: z.string() })),
});
export type RowEdits = z.infer<typeof rowEditsSchema>;

export const NO_EDITS: RowEdits = { patches: [], replacements: [] };

export function hasEdits(e: RowEdits): boolean {
  return e.patches.length > 0 || e.replacements.length > 0;
}

/** A cell patched (replacing an earlier patch of the same cell). */
export function withPatch(e: RowEdits, row: number, column: number, value: string): RowEdits {
  return { ...e, patches: [...e.patches.filter(([r, c]) => r !== row || c !== column), [row, column, value]] };
}

/** A replacement added (replacing an earlier one of the same value in the same column). */
export function withReplacement(e: RowEdits, column: number, from: string, to: string): RowEdits {
  const key = from.trim();
  return { ...e, replacements: [...e.replacements.filter((r) => r.column !== column || r.from !== key), { column, from: key, to }] };
}

/**
 * The edits as a function of a row's number and cells → its edited cells
 * (the same array when nothing applies to it). A patch wins over a
 * replacement: it is what the user typed in that very cell.
 */
export function rowEditor(e: RowEdits): (row: number, cells: string[]) => string[] {
  if (!hasEdits(e)) return (_, cells) => cells;
  const patches = new Map<number, [number, string][]>();
  for (const [r, c, v] of e.patches) {
    const list = patches.get(r) ?? [];
    list.push([c, v]);
    patches.set(r, list);
  }
  const byColumn = new Map<number, Map<string, string>>();
  for (const { column, from, to } of e.replacements) {
    if (!byColumn.has(column)) byColumn.set(column, new Map());
    byColumn.get(column)!.set(from, to);
  }
  const columns = [...byColumn];
  return (row, cells) => {
    let out = cells;
    for (const [c, map] of columns) {
      const to = map.get((cells[c] ?? "").trim());
      if (to !== undefined) {
        if (out === cells) out = cells.slice();
        out[c] = to;
      }
    }
    const own = patches.get(row);
    if (own) {
      if (out === cells) out = cells.slice();
      for (const [c, v] of own) {
        while (out.length <= c) out.push("");
        out[c] = v;
      }
    }
    return out;
  };
}
