import { describe, expect, it } from "vitest";
import { FixSession } from "@/lib/upload/fix-session";
import { NO_EDITS, rowEditor, withPatch, withReplacement } from "@/lib/upload/row-edits";

describe("row edits", () => {
  it("patches one cell of one row; a later patch of the same cell wins", () => {
    const e = withPatch(withPatch(NO_EDITS, 2, 1, "a@example.org"), 2, 1, "b@example.org");
    const edit = rowEditor(e);
    const row = ["M1", "bad"];
    expect(edit(1, row)).toBe(row); // other rows: untouched, not copied
    expect(edit(2, row)).toEqual(["M1", "b@example.org"]);
    expect(row).toEqual(["M1", "bad"]);
  });

  it("replaces a value everywhere in one column only; a patch wins over it", () => {
    const e = withPatch(withReplacement(NO_EDITS, 2, " N/A ", ""), 7, 2, "07400123457");
    const edit = rowEditor(e);
    expect(edit(1, ["M1", "N/A", "N/A"])).toEqual(["M1", "N/A", ""]);
    expect(edit(3, ["M3", "x", " N/A"])).toEqual(["M3", "x", ""]);
    expect(edit(7, ["M7", "x", "N/A"])).toEqual(["M7", "x", "07400123457"]);
  });
});

describe("fix session", () => {
  const opts = {
    mapping: ["external_id", "email", "joined"],
    formats: [null, null, { kind: "date", order: "dmy" } as const],
    catalog: [["joined", "date"]] as [string, string][],
    phoneRegion: "GB",
    edits: NO_EDITS,
  };

  it("holds only the rows with problems and checks an edited row again with the same rules and formats", () => {
    const s = new FixSession(opts);
    s.add(1, ["M1", "a@example.org", "15/01/2020"]);
    s.add(2, ["M2", "bob(at)example.org", "15/01/2020"]);
    s.add(3, ["M3", "c@example.org", "N/A"]);
    expect(s.total).toBe(2);
    expect(s.rows().map((r) => [r.row, r.problems.map((p) => p.column)])).toEqual([
      [2, [1]],
      [3, [2]],
    ]);
    expect(s.patch(2, 1, "bob@")?.problems).toHaveLength(1);
    expect(s.patch(2, 1, "bob@example.org")).toEqual({ row: 2, cells: ["M2", "bob@example.org", "15/01/2020"], problems: [] });
    // the held rows as now checked: the patched row fixed, the other still wrong
    expect(s.rows().map((r) => [r.row, r.cells[1], r.problems.length])).toEqual([
      [2, "bob@example.org", 0],
      [3, "c@example.org", 1],
    ]);
    const after = s.replace(2, "N/A", "");
    expect(after.every((r) => r.problems.length === 0)).toBe(true);
    expect(s.currentEdits()).toEqual({ patches: [[2, 1, "bob@example.org"]], replacements: [{ column: 2, from: "N/A", to: "" }] });
    expect(s.patch(1, 1, "x")).toBeNull(); // a row without problems is not held
  });
});
