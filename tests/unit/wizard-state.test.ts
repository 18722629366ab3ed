import { describe, expect, it } from "vitest";
import type { ColumnStats } from "@/lib/formats/column-stats";
import { emptyStats } from "@/lib/formats/column-stats";
import { NO_EDITS, withPatch } from "@/lib/upload/row-edits";
import {
  checkKeyOf,
  currentResults,
  fileRows,
  initialWizardState,
  mappingProblem,
  previewKeyOf,
  wizardReducer,
  type WizardAction,
  type WizardState,
} from "@/lib/upload/wizard-state";

const FIELDS = [{ slug: "joined", label: "Joined", kind: "date" as const }];
const csv = (name: string) => new File(["x"], name, { type: "text/csv" });
const run = (s: WizardState, ...actions: WizardAction[]) => actions.reduce(wizardReducer, s);
const summary = (rows: number) => ({ rowsChecked: rows, rowsWithProblems: 0, rowsInConflict: 0, problems: [] });
const keyOf = (s: WizardState, formats: null | { kind: "as-is" }[] = null) => checkKeyOf(s.fileNo, s.mapping, formats, s.edits);

/** A file chosen and read: headers Member no, Email, Joined (auto-mapped to external_id, email, joined). */
function withFile(name = "members.csv", s = initialWizardState(FIELDS)): WizardState {
  const file = csv(name);
  return run(
    s,
    { type: "file-chosen", file },
    { type: "file-read", file, preview: { headers: ["external_id", "email", "joined"], rows: [["M1", "a@example.org", "2020-01-02"]] } },
  );
}

/** Checked, and a dry run sent, for the settings now. */
function previewed(s: WizardState): WizardState {
  const key = keyOf(s);
  return run(s, { type: "check-done", of: key, summary: summary(3), samples: [] }, { type: "preview-sent", of: previewKeyOf(key, s.strategy), id: "job-1" });
}

describe("the wizard's state", () => {
  it("maps a new file's columns by their headers, and starts afresh on another file", () => {
    let s = withFile();
    expect(s.mapping).toEqual(["external_id", "email", "joined"]);
    s = run(
      previewed(s),
      { type: "strategy-chosen", strategy: "ignore" },
      { type: "field-created", field: { slug: "branch", label: "Branch", kind: "text" } },
      { type: "edits-changed", edits: withPatch(NO_EDITS, 1, 1, "b@example.org") },
    );
    const next = withFile("other.csv", s);
    expect(next.file?.name).toBe("other.csv");
    expect(next.edits).toEqual(NO_EDITS);
    expect(next.check.state).toBe("idle");
    expect(next.dryRun).toBeNull();
    expect(currentResults(next, keyOf(next)).previewId).toBeNull();
    // kept: what was chosen for the wizard, not for the file
    expect(next.strategy).toBe("ignore");
    expect(next.fields.map((f) => f.slug)).toEqual(["joined", "branch"]);
  });

  it("a reopened import's mapping is used for its columns, and other columns are not imported", () => {
    const file = csv("rejected.csv");
    const s = run(
      initialWizardState(FIELDS),
      { type: "file-chosen", file, preset: { columns: ["No", "Mail"], mapping: ["external_id", "email"] } },
      { type: "file-read", file, preview: { headers: ["No", "Mail", "rejection_reason"], rows: [] } },
    );
    expect(s.mapping).toEqual(["external_id", "email", "skip"]);
    // the next file is mapped by its headers again
    expect(withFile("next.csv", s).mapping).toEqual(["external_id", "email", "joined"]);
  });

  it("a remembered mapping replaces the suggestion, but not a choice made meanwhile nor another file's", () => {
    const s = withFile();
    const remembered = ["external_id", "skip", "joined"];
    const used = run(s, { type: "mapping-remembered", file: s.file!, mapping: remembered });
    expect(used.mapping).toEqual(remembered);
    expect(used.mappingFrom).toBe("remembered");

    const chosen = run(s, { type: "mapping-chosen", mapping: ["external_id", "email", "skip"] }, { type: "mapping-remembered", file: s.file!, mapping: remembered });
    expect(chosen.mapping).toEqual(["external_id", "email", "skip"]);

    const late = run(withFile("b.csv", s), { type: "mapping-remembered", file: s.file!, mapping: remembered });
    expect(late.mapping).toEqual(["external_id", "email", "joined"]);
  });

  it("a check counts only for the file, mapping, formats and fixes it was of", () => {
    const s = run(withFile(), { type: "check-started" });
    const checked = run(s, { type: "check-done", of: keyOf(s), summary: summary(3), samples: [] });
    expect(currentResults(checked, keyOf(checked)).checked).toBe(true);

    const remapped = run(checked, { type: "mapping-chosen", mapping: ["external_id", "skip", "joined"] });
    expect(currentResults(remapped, keyOf(remapped)).checked).toBe(false);
    const back = run(remapped, { type: "mapping-chosen", mapping: ["external_id", "email", "joined"] });
    expect(currentResults(back, keyOf(back)).checked).toBe(true);

    expect(currentResults(checked, keyOf(checked, [{ kind: "as-is" }])).checked).toBe(false); // another format
    const fixed = run(checked, { type: "edits-changed", edits: withPatch(NO_EDITS, 2, 1, "c@example.org") });
    expect(currentResults(fixed, keyOf(fixed)).checked).toBe(false);
    const sameFile = withFile("members.csv", checked); // the same name chosen again is another file
    expect(currentResults(sameFile, keyOf(sameFile)).checked).toBe(false);
  });

  it("the fix session's echo of the same edits changes nothing, so no new check starts", () => {
    const s = run(withFile(), { type: "edits-changed", edits: withPatch(NO_EDITS, 2, 1, "c@example.org") });
    const echoed = run(s, { type: "edits-changed", edits: withPatch(NO_EDITS, 2, 1, "c@example.org") });
    expect(echoed).toBe(s);
  });

  it("a check's progress after it ended does not show it running again", () => {
    const s = withFile();
    const done = run(s, { type: "check-started" }, { type: "check-progress", rows: 1000 }, { type: "check-done", of: keyOf(s), summary: summary(3), samples: [] });
    expect(run(done, { type: "check-progress", rows: 2000 }).check).toEqual(done.check);
  });

  it("the dry run and its confirmations are shown only for the settings and strategy it was of", () => {
    let s = previewed(withFile());
    s = run(s, { type: "guard-confirmed", kind: "many_emails_changed", on: true });
    expect(currentResults(s, keyOf(s))).toMatchObject({ checked: true, previewId: "job-1" });
    expect([...currentResults(s, keyOf(s)).confirmed]).toEqual(["many_emails_changed"]);

    const other = run(s, { type: "strategy-chosen", strategy: "ignore" });
    expect(currentResults(other, keyOf(other))).toMatchObject({ checked: true, previewId: null });
    expect(currentResults(other, keyOf(other)).confirmed.size).toBe(0);

    // asked again: the earlier one goes, with what was confirmed of it
    const again = previewed(run(s, { type: "preview-asked" }));
    expect(currentResults(again, keyOf(again)).confirmed.size).toBe(0);
    expect(run(s, { type: "guard-confirmed", kind: "many_emails_changed", on: false }).dryRun?.confirmed.size).toBe(0);
  });

  it("starting shows a refusal and lets the user try again", () => {
    const s = run(previewed(withFile()), { type: "start-asked" });
    expect(s.starting).toBe(true);
    const failed = run(s, { type: "start-failed", message: "Your session has ended" });
    expect(failed).toMatchObject({ starting: false, startError: "Your session has ended" });
    expect(run(failed, { type: "start-asked" }).startError).toBeNull();
  });
});

describe("the mapping's problems, by the server's column check", () => {
  const mapped = (mapping: string[]) => run(withFile(), { type: "mapping-chosen", mapping });

  it("asks for external_id, names both columns going to one field, and a field that no longer exists", () => {
    expect(mappingProblem(mapped(["external_id", "email", "joined"]))).toBeNull();
    expect(mappingProblem(mapped(["skip", "email", "joined"]))).toBe("Choose the column that holds external_id (the member number).");
    expect(mappingProblem(mapped(["external_id", "joined", "joined"]))).toBe("“email” and “joined” both go to joined: choose one.");
    expect(mappingProblem(mapped(["external_id", "email", "renewed"]))).toBe(
      "The column “joined” goes to renewed, which is no longer a field: choose another.",
    );
  });

  it("knows a field created on the spot", () => {
    const s = run(mapped(["external_id", "email", "branch"]), { type: "field-created", field: { slug: "branch", label: "Branch", kind: "text" } });
    expect(mappingProblem(s)).toBeNull();
  });
});

describe("the file's rows", () => {
  const stats = (blank: number, nonBlank: number): ColumnStats => ({ ...emptyStats(), blank, nonBlank });

  it("come from the formats' scan until the check has counted them", () => {
    const s = withFile();
    expect(fileRows(s, [null, null, null])).toBeNull();
    expect(fileRows(s, [stats(0, 3000), stats(12, 2988), stats(3000, 0)])).toBe(3000);
    const checked = run(s, { type: "check-done", of: keyOf(s), summary: summary(2999), samples: [] });
    expect(fileRows(checked, [stats(0, 3000)])).toBe(2999);
  });
});
