"use client";

// The upload wizard's workings behind its layout (import-wizard.tsx): its
// state and staleness rules (lib/upload/wizard-state.ts), the worker's
// requests (the file's first rows, the whole-file check), the dry run's
// upload and poll, and starting the import.
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useReducer } from "react";
import { rememberedMappingAction, startPreviewedImportAction } from "@/lib/actions/uploads";
import type { CustomField } from "@/lib/custom-fields/custom-field-schema";
import { columnFormatSchema } from "@/lib/formats/column-format";
import { setOwn } from "@/lib/set-own";
import type { RowEdits } from "@/lib/upload/row-edits";
import {
  catalogOf,
  checkKeyOf,
  currentResults,
  fileRows,
  initialWizardState,
  mappingProblem,
  previewKeyOf,
  wizardReducer,
  type PresetMapping,
  type WizardAction,
} from "@/lib/upload/wizard-state";
import { useColumnFormats } from "./use-column-formats";
import { useCsvWorker, type CheckRequest, type CsvWorker } from "./use-csv-worker";
import { usePreview } from "./use-preview";
import { useUpload, type UploadStatus } from "./use-upload";
import type { Formats } from "./worker-protocol";

export type WizardProps = {
  customFields: CustomField[];
  phoneRegion: string;
  /** "Fix and import again": a finished upload whose rejected rows open here with its mapping. */
  reopen?: PresetMapping & { id: string };
};

type Dispatch = (a: WizardAction) => void;

/** A dry run's upload that is done but no longer current: shown as not started. */
const IDLE_UPLOAD: UploadStatus = { state: "idle", sent: 0 };

/** Choosing a file (or a sheet of it): its first rows, then the mapping remembered for its headers. */
function useChooseFile(csv: CsvWorker, dispatch: Dispatch) {
  return useCallback(
    (file: File | null, sheet?: string, preset?: PresetMapping) => {
      csv.setSheet(sheet);
      dispatch({ type: "file-chosen", file, sheet, preset });
      if (!file) return;
      csv.preview(file, {
        error: (message) => dispatch({ type: "failed", message }),
        done: (preview) => {
          dispatch({ type: "file-read", file, preview });
          if (preset) return;
          rememberedMappingAction(preview.headers).then(
            (r) => r.ok && r.data && dispatch({ type: "mapping-remembered", file, mapping: r.data }),
            () => {}, // a convenience: the suggestion stays
          );
        },
      });
    },
    [csv, dispatch],
  );
}

/** "Fix and import again": the rejected rows of that import, as the file, with its mapping. */
function useReopen(reopen: WizardProps["reopen"], chooseFile: ReturnType<typeof useChooseFile>, dispatch: Dispatch) {
  useEffect(() => {
    if (!reopen) return;
    let live = true;
    fetch(`/imports/${reopen.id}/rejected.csv`, { cache: "no-store" })
      .then((res) => (res.ok ? res.blob() : Promise.reject(new Error(`the server answered ${res.status}`))))
      .then((blob) => live && chooseFile(new File([blob], `rejected-rows-${reopen.id}.csv`, { type: "text/csv" }), undefined, reopen))
      .catch((e: unknown) => {
        if (live) dispatch({ type: "failed", message: `The rejected rows of that import could not be loaded: ${(e as Error).message}` });
      });
    return () => {
      live = false;
    };
    // once, for the import the page was opened with
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reopen?.id]);
}

/** The whole file through the server's rules whenever the settings settle (`req`: null while they cannot be checked). */
function useWholeFileCheck(csv: CsvWorker, req: CheckRequest | null, checkKey: string, dispatch: Dispatch) {
  useEffect(() => {
    if (!req) return;
    const timer = setTimeout(() => {
      dispatch({ type: "check-started" });
      csv.check(req, {
        progress: (rows) => dispatch({ type: "check-progress", rows }),
        done: (summary, samples) => dispatch({ type: "check-done", of: checkKey, summary, samples }),
        error: (message) => dispatch({ type: "failed", message }),
      });
    }, 300);
    return () => clearTimeout(timer);
  }, [csv, req, checkKey, dispatch]);
}

/**
 * The first en-GB number the page formats loads that locale's data, a long
 * task on the main thread: done while the page is idle after loading, not in
 * the render that shows the chosen file.
 */
function warmNumberFormat() {
  const warm = () => void (0).toLocaleString("en-GB");
  if (typeof requestIdleCallback === "function") {
    const id = requestIdleCallback(warm);
    return () => cancelIdleCallback(id);
  }
  const t = setTimeout(warm, 0);
  return () => clearTimeout(t);
}

/** header → format, for saving with a mapping. */
function formatsByHeader(headers: string[], formats: Formats | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  headers.forEach((h, i) => {
    const f = formats?.[i];
    if (f) setOwn(out, h, f);
  });
  return out;
}

export function useWizard({ customFields, phoneRegion, reopen }: WizardProps) {
  const router = useRouter();
  const csv = useCsvWorker();
  const upload = useUpload(csv);
  const [s, dispatch] = useReducer(wizardReducer, customFields, initialWizardState);
  useEffect(warmNumberFormat, []);
  const catalog = useMemo(() => catalogOf(s.fields), [s.fields]);
  const columnFormats = useColumnFormats({ csv, file: s.file, preview: s.preview, mapping: s.mapping, catalog, phoneRegion });
  const formats = columnFormats.formats;
  const mappingError = mappingProblem(s) ?? columnFormats.error;
  // encoded once per change, not on every render (the edits may be thousands)
  const checkKey = useMemo(() => checkKeyOf(s.fileNo, s.mapping, formats, s.edits), [s.fileNo, s.mapping, formats, s.edits]);
  const { checked, previewId, confirmed } = currentResults(s, checkKey);
  const request = useMemo(
    () => (s.file && s.preview && !mappingError && formats ? { file: s.file, mapping: s.mapping, formats, edits: s.edits, catalog, phoneRegion } : null),
    [s.file, s.preview, s.mapping, s.edits, mappingError, formats, catalog, phoneRegion],
  );
  useWholeFileCheck(csv, request, checkKey, dispatch);
  const chooseFile = useChooseFile(csv, dispatch);
  useReopen(reopen, chooseFile, dispatch);
  const dryRun = usePreview(previewId);
  const onEdits = useCallback((edits: RowEdits) => dispatch({ type: "edits-changed", edits }), []);
  const headers = s.preview?.headers;
  const savedFormats = useMemo(() => formatsByHeader(headers ?? [], formats), [headers, formats]);
  const customLabels = useMemo(() => new Map(s.fields.map((f) => [f.slug, f.label])), [s.fields]);

  return {
    state: s,
    dispatch,
    csv,
    catalog,
    columnFormats,
    request,
    mappingError,
    checked,
    confirmed,
    savedFormats,
    customLabels,
    rows: fileRows(s, columnFormats.columns.map((c) => c.stats)),
    dryRun: { ...dryRun, ready: dryRun.preview?.ready ?? null, upload: previewId || upload.status.state !== "sent" ? upload.status : IDLE_UPLOAD },
    chooseFile,
    onEdits,
    applySavedMapping(mapping: string[], saved: Record<string, unknown>) {
      dispatch({ type: "saved-mapping-applied", mapping });
      // a saved format is used where it still fits the column; the scan's suggestion elsewhere
      headers?.forEach((h, i) => {
        const f = columnFormatSchema.safeParse(Object.hasOwn(saved, h) ? saved[h] : undefined); // own: a header may be "constructor"
        if (f.success) columnFormats.choose(i, f.data);
      });
    },
    downloadProblemRows() {
      if (request) csv.problemRows(request, (text) => download(`problem-rows-${request.file.name}`, text));
    },
    async previewChanges() {
      if (!request || !headers || !checked) return;
      dispatch({ type: "preview-asked" });
      const of = previewKeyOf(checkKey, s.strategy);
      const id = await upload.start({ ...request, columns: headers, sheet: s.sheet, strategy: s.strategy, totalRows: s.check.rows, dryRun: true });
      if (id) dispatch({ type: "preview-sent", of, id });
    },
    async startImport() {
      if (!previewId || s.starting) return;
      dispatch({ type: "start-asked" });
      const r = await startPreviewedImportAction({ previewId }).catch((e: Error) => ({ ok: false as const, error: { message: e.message } }));
      if (r.ok) router.push(`/imports/${r.data.id}`);
      else dispatch({ type: "start-failed", message: r.error.message });
    },
  };
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}
