// The upload wizard's state in one place, with its staleness rules: what a
// new file, mapping, format, fix or option makes stale. Pure (no React):
// components/upload/use-wizard.ts runs it with useReducer.
//
// The rules:
// - A new file (or sheet) starts afresh: its first rows, mapping, fixes,
//   check and dry run are all of the old file. Fields created and the
//   conflict strategy are kept.
// - A check is of one file, mapping, set of formats and fixes (checkKeyOf):
//   after any of them changes, the check shown is no longer "the" check, and
//   the preview cannot be asked for until the new one is done.
// - A dry run ("Preview changes") is of the check's settings and the conflict
//   strategy (previewKeyOf); once they change it is not shown, and "Start
//   import" waits for a new one. Its confirmations belong to it.
// - Answers that arrive late (the remembered mapping of a file chosen before,
//   a check's progress after it ended) change nothing.
import type { CustomField } from "../custom-fields/custom-field-schema";
import type { ColumnFormat } from "../formats/column-format";
import type { ColumnStats } from "../formats/column-stats";
import { SKIP } from "../fields";
import { checkMapping } from "../jobs/column-check";
import type { ConflictStrategy } from "../vocabulary";
import { autoMap } from "./auto-map";
import type { CheckSummary } from "./check-rows";
import { NO_EDITS, type RowEdits } from "./row-edits";

/** A file's headers and first rows, as the wizard's worker read them; `sheets`: an .xlsx file's sheets, `sheet` the one read (absent for CSV). */
export type FilePreview = { headers: string[]; rows: string[][]; sheets?: string[]; sheet?: string };

export type CheckState = {
  state: "idle" | "running" | "done";
  rows: number;
  summary?: CheckSummary;
  /** The settings the finished check was of (checkKeyOf). */
  of?: string;
  /** Per column, values as read → as sent (the formats' preview). */
  samples?: [string, string][][];
};

/** The columns of an earlier import, and where each went ("Fix and import again"). */
export type PresetMapping = { columns: string[]; mapping: string[] };

export type WizardState = {
  file: File | null;
  /** The sheet of an .xlsx file (undefined: its first). */
  sheet: string | undefined;
  /** Bumped on each file or sheet chosen: the check's key holds it. */
  fileNo: number;
  fileError: string | null;
  preview: FilePreview | null;
  /** The mapping the chosen file's preview takes instead of a suggestion. */
  preset: PresetMapping | null;
  fields: CustomField[];
  mapping: string[];
  /** Where the mapping came from: a remembered one replaces only a suggestion. */
  mappingFrom: "suggested" | "remembered" | "preset" | "chosen";
  edits: RowEdits;
  strategy: ConflictStrategy;
  check: CheckState;
  /** The dry run asked for, the settings it was of (previewKeyOf), and its guard reasons confirmed. */
  dryRun: { of: string; id: string; confirmed: ReadonlySet<string> } | null;
  starting: boolean;
  startError: string | null;
};

export type WizardAction =
  | { type: "file-chosen"; file: File | null; sheet?: string; preset?: PresetMapping }
  | { type: "file-read"; file: File; preview: FilePreview }
  | { type: "failed"; message: string }
  | { type: "mapping-remembered"; file: File; mapping: string[] }
  /** By hand, one column at a time. */
  | { type: "mapping-chosen"; mapping: string[] }
  | { type: "saved-mapping-applied"; mapping: string[] }
  | { type: "field-created"; field: CustomField }
  | { type: "edits-changed"; edits: RowEdits }
  | { type: "strategy-chosen"; strategy: ConflictStrategy }
  | { type: "check-started" }
  | { type: "check-progress"; rows: number }
  | { type: "check-done"; of: string; summary: CheckSummary; samples: [string, string][][] }
  | { type: "preview-asked" }
  | { type: "preview-sent"; of: string; id: string }
  | { type: "guard-confirmed"; kind: string; on: boolean }
  | { type: "start-asked" }
  | { type: "start-failed"; message: string };

const IDLE: CheckState = { state: "idle", rows: 0 };

export function initialWizardState(fields: CustomField[]): WizardState {
  return {
    file: null,
    sheet: undefined,
    fileNo: 0,
    fileError: null,
    preview: null,
    preset: null,
    fields,
    mapping: [],
    mappingFrom: "suggested",
    edits: NO_EDITS,
    strategy: "reject",
    check: IDLE,
    dryRun: null,
    starting: false,
    startError: null,
  };
}

function fileRead(s: WizardState, preview: FilePreview): WizardState {
  const preset = s.preset;
  if (preset) {
    // the import's columns as they were; the reason column and any other: not imported
    const mapping = preview.headers.map((h, i) => (preset.columns[i] === h ? preset.mapping[i] : SKIP));
    return { ...s, preview, preset: null, mapping, mappingFrom: "preset" };
  }
  const mapping = autoMap(preview.headers, s.fields.map((f) => f.slug));
  return { ...s, preview, mapping, mappingFrom: "suggested" };
}

const sameEdits = (a: RowEdits, b: RowEdits) => a === b || JSON.stringify(a) === JSON.stringify(b);

export function wizardReducer(s: WizardState, a: WizardAction): WizardState {
  switch (a.type) {
    case "file-chosen":
      return {
        ...initialWizardState(s.fields),
        strategy: s.strategy,
        file: a.file,
        sheet: a.sheet,
        fileNo: s.fileNo + 1,
        preset: a.preset ?? null,
      };
    case "file-read":
      return a.file === s.file ? fileRead(s, a.preview) : s;
    case "failed":
      return { ...s, fileError: a.message };
    case "mapping-remembered": {
      const fits = a.file === s.file && s.mappingFrom === "suggested" && a.mapping.length === s.preview?.headers.length;
      return fits ? { ...s, mapping: a.mapping, mappingFrom: "remembered" } : s;
    }
    case "mapping-chosen":
      // a remembered mapping changed by hand is still mostly the one remembered
      return { ...s, mapping: a.mapping, mappingFrom: s.mappingFrom === "remembered" ? "remembered" : "chosen" };
    case "saved-mapping-applied":
      return { ...s, mapping: a.mapping, mappingFrom: "chosen" };
    case "field-created":
      return { ...s, fields: [...s.fields, a.field] };
    case "edits-changed":
      // the fix session echoes the edits back when it opens: the same content starts no new check
      return sameEdits(s.edits, a.edits) ? s : { ...s, edits: a.edits };
    case "strategy-chosen":
      return { ...s, strategy: a.strategy };
    case "check-started":
      return { ...s, check: { state: "running", rows: 0 } };
    case "check-progress":
      return s.check.state === "running" ? { ...s, check: { state: "running", rows: a.rows } } : s;
    case "check-done":
      return { ...s, check: { state: "done", rows: a.summary.rowsChecked, summary: a.summary, samples: a.samples, of: a.of } };
    case "preview-asked":
      return { ...s, dryRun: null, startError: null };
    case "preview-sent":
      return { ...s, dryRun: { of: a.of, id: a.id, confirmed: new Set() } };
    case "guard-confirmed": {
      if (!s.dryRun) return s;
      const confirmed = new Set(s.dryRun.confirmed);
      if (a.on) confirmed.add(a.kind);
      else confirmed.delete(a.kind);
      return { ...s, dryRun: { ...s.dryRun, confirmed } };
    }
    case "start-asked":
      return { ...s, starting: true, startError: null };
    case "start-failed":
      return { ...s, starting: false, startError: a.message };
  }
}

/** What a check is of: another file, mapping, format or fix makes it stale. */
export function checkKeyOf(fileNo: number, mapping: string[], formats: readonly (ColumnFormat | null)[] | null, edits: RowEdits): string {
  return JSON.stringify([fileNo, mapping, formats, edits]);
}

/** What a dry run is of: the check's settings and the conflict strategy. */
export const previewKeyOf = (checkKey: string, strategy: ConflictStrategy) => JSON.stringify([checkKey, strategy]);

/** The check and dry run that belong to the settings now (`checkKey`), not to earlier ones. */
export function currentResults(s: WizardState, checkKey: string) {
  const checked = s.check.state === "done" && s.check.of === checkKey;
  const dryRun = s.dryRun?.of === previewKeyOf(checkKey, s.strategy) ? s.dryRun : null;
  return { checked, previewId: dryRun?.id ?? null, confirmed: dryRun?.confirmed ?? new Set<string>() };
}

/** slug → kind of the custom fields, as the worker's check takes them. */
export const catalogOf = (fields: readonly CustomField[]): [string, string][] => fields.map((f) => [f.slug, f.kind]);

/** What keeps the mapping from being checked, in the server's own terms (lib/jobs/column-check.ts); null when nothing. */
export function mappingProblem(s: WizardState): string | null {
  if (!s.preview) return null;
  const headers = s.preview.headers;
  const p = checkMapping(s.mapping, new Map(s.fields.map((f) => [f.slug, f.kind])));
  if (p.missingExternalId) return "Choose the column that holds external_id (the member number).";
  if (p.repeated.length > 0) {
    const [i, j] = p.repeated[0];
    return `“${headers[j]}” and “${headers[i]}” both go to ${s.mapping[i]}: choose one.`;
  }
  if (p.unknown.length > 0) return `The column “${headers[p.unknown[0]]}” goes to ${s.mapping[p.unknown[0]]}, which is no longer a field: choose another.`;
  return null;
}

/** The file's data rows: the check's count, or before it the formats' scan of every value (null until one is done). */
export function fileRows(s: WizardState, scanned: readonly (ColumnStats | null)[]): number | null {
  if (s.check.state === "done" && s.check.summary) return s.check.summary.rowsChecked;
  if (!s.preview || scanned.length === 0 || scanned.some((c) => !c)) return null;
  // every row read adds to each column it reaches, blank or not
  return Math.max(...scanned.map((c) => c!.blank + c!.nonBlank));
}
