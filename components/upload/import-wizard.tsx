"use client";

// The upload wizard: choose a file, match its columns, see it checked with
// the server's rules, preview what it would change in the stored members (a
// dry run of the uploaded file), start the import (the same staged file run
// for real: nothing is sent again). The file is read in a Web Worker
// (use-csv-worker.ts, csv.worker.ts) and sent in pieces (use-upload.ts);
// each step is its own component.
import { useRouter } from "next/navigation";
import { setOwn } from "@/lib/set-own";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { rememberedMappingAction, startPreviewedImportAction } from "@/lib/actions/uploads";
import type { CustomField } from "@/lib/custom-fields/custom-field-schema";
import { SKIP } from "@/lib/fields";
import { columnFormatSchema } from "@/lib/formats/column-format";
import { autoMap } from "@/lib/upload/auto-map";
import { NO_EDITS, type RowEdits } from "@/lib/upload/row-edits";
import type { ConflictStrategy } from "@/lib/vocabulary";
import { useHydrated } from "@/components/use-hydrated";
import { CheckStep, type CheckState } from "./check-step";
import { FileStep } from "./file-step";
import { MappingStep } from "./mapping-step";
import { FixStep } from "./fix-step";
import { PreviewStep } from "./preview-step";
import { SavedMappings } from "./saved-mappings";
import { StartStep } from "./start-step";
import { useColumnFormats } from "./use-column-formats";
import { useCsvWorker, type Preview } from "./use-csv-worker";
import { usePreview } from "./use-preview";
import { useUpload } from "./use-upload";
import type { Formats } from "./worker-protocol";

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

// What a check or preview was of: another file, mapping, format or fix makes it stale.
const settingsKeyOf = (fileNo: number, mapping: string[], formats: Formats | null, edits: RowEdits) =>
  JSON.stringify([fileNo, mapping, formats, edits]);

/** header → format, for saving with a mapping. */
function formatsByHeader(headers: string[], formats: Formats | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  headers.forEach((h, i) => {
    const f = formats?.[i];
    if (f) setOwn(out, h, f);
  });
  return out;
}

/**
 * The first en-GB number the page formats loads that locale's ICU data, ~20 ms
 * on the main thread: done while the page is idle after loading, not in the
 * render that shows the chosen file (which it pushed past 33 ms).
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

export function ImportWizard({
  customFields: initialFields,
  phoneRegion,
  canCreateFields,
  reopen,
}: {
  customFields: CustomField[];
  phoneRegion: string;
  /** An admin: may add custom fields from the mapping step. */
  canCreateFields: boolean;
  /** "Fix and import again": a finished upload whose rejected rows open here with its mapping. */
  reopen?: { id: string; columns: string[]; mapping: string[] };
}) {
  const router = useRouter();
  const csv = useCsvWorker();
  const upload = useUpload(csv);
  const hydrated = useHydrated();
  useEffect(warmNumberFormat, []);

  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [fields, setFields] = useState<CustomField[]>(initialFields);
  const [mapping, setMapping] = useState<string[]>([]);
  const [remembered, setRemembered] = useState(false);
  const [check, setCheck] = useState<CheckState>({ state: "idle", rows: 0 });
  const [strategy, setStrategy] = useState<ConflictStrategy>("reject");
  const [edits, setEdits] = useState<RowEdits>(NO_EDITS);
  const [sheet, setSheet] = useState<string | undefined>(undefined);
  // the mapping the next file's preview takes (the reopened import's), instead of a suggestion
  const presetMapping = useRef<{ columns: string[]; mapping: string[] } | null>(null);
  const catalog = useMemo(() => fields.map((f) => [f.slug, f.kind] as [string, string]), [fields]);
  const columnFormats = useColumnFormats({ csv, file, preview, mapping, catalog, phoneRegion });
  const formats = columnFormats.formats;
  // The dry run of this file with these settings, and what was confirmed of
  // it: another file, mapping or choice makes it stale (preview again).
  const [fileNo, setFileNo] = useState(0);
  // encoded once per change, not on every render (the edits may be thousands)
  const checkKey = useMemo(() => settingsKeyOf(fileNo, mapping, formats, edits), [fileNo, mapping, formats, edits]);
  const settingsKey = JSON.stringify([checkKey, strategy]);
  const [dry, setDry] = useState<{ key: string; id: string; confirmed: ReadonlySet<string> } | null>(null);
  const previewId = dry?.key === settingsKey ? dry.id : null;
  const confirmed = previewId ? dry!.confirmed : new Set<string>();
  const dryRun = usePreview(previewId);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const customLabels = useMemo(() => new Map(fields.map((f) => [f.slug, f.label])), [fields]);
  const mappingError = useMemo(() => {
    if (!preview) return null;
    const chosen = mapping.filter((m) => m !== SKIP);
    if (!chosen.includes("external_id")) return "Choose the column that holds external_id (the member number).";
    const dup = chosen.find((m, i) => chosen.indexOf(m) !== i);
    return dup ? `Two columns go to ${dup}: choose one.` : columnFormats.error;
  }, [mapping, preview, columnFormats.error]);

  function chooseFile(f: File | null, sheet?: string) {
    csv.setSheet(sheet);
    setSheet(sheet);
    setFile(f);
    setFileNo((x) => x + 1);
    setPreview(null);
    setCheck({ state: "idle", rows: 0 });
    setFileError(null);
    setEdits(NO_EDITS);
    if (!f) return;
    csv.preview(f, {
      error: setFileError,
      done: (p) => {
        setPreview(p);
        setRemembered(false);
        const preset = presetMapping.current;
        presetMapping.current = null;
        if (preset) {
          // the import's columns as they were; the reason column and any other: not imported
          setMapping(p.headers.map((h, i) => (preset.columns[i] === h ? preset.mapping[i] : SKIP)));
          return;
        }
        setMapping(autoMap(p.headers, fields.map((x) => x.slug)));
        void rememberedMappingAction(p.headers).then((r) => {
          if (r.ok && r.data && r.data.length === p.headers.length) {
            setMapping(r.data);
            setRemembered(true);
          }
        });
      },
    });
  }

  // "Fix and import again": the rejected rows of that import, as the file.
  const [reopenError, setReopenError] = useState<string | null>(null);
  useEffect(() => {
    if (!reopen) return;
    let live = true;
    fetch(`/imports/${reopen.id}/rejected.csv`, { cache: "no-store" })
      .then((res) => (res.ok ? res.blob() : Promise.reject(new Error(`the server answered ${res.status}`))))
      .then((blob) => {
        if (!live) return;
        presetMapping.current = reopen;
        chooseFile(new File([blob], `rejected-rows-${reopen.id}.csv`, { type: "text/csv" }));
      })
      .catch((e: unknown) => live && setReopenError(`The rejected rows of that import could not be loaded: ${(e as Error).message}`));
    return () => {
      live = false;
    };
    // once, for the import the page was opened with
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reopen?.id]);

  // The fix session echoes the edits back when it opens: the same content
  // must not start the whole-file check again.
  const keepEdits = useCallback(
    (e: RowEdits) => setEdits((cur) => (JSON.stringify(cur) === JSON.stringify(e) ? cur : e)),
    [],
  );

  // Check the whole file whenever the mapping settles.
  useEffect(() => {
    if (!file || !preview || mappingError || !formats) return;
    const timer = setTimeout(() => {
      setCheck({ state: "running", rows: 0 });
      csv.check(
        { file, mapping, formats, edits, catalog, phoneRegion },
        {
          progress: (rows) => setCheck({ state: "running", rows }),
          done: (summary, samples) =>
            setCheck({ state: "done", rows: summary.rowsChecked, summary, samples, of: checkKey }),
          error: setFileError,
        },
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [csv, file, checkKey, preview, mapping, formats, edits, catalog, mappingError, phoneRegion]);

  // the check of this file, mapping, formats and fixes is done (not one of settings just changed)
  const checked = check.state === "done" && check.of === checkKey;

  function downloadProblemRows() {
    if (file && formats) csv.problemRows({ file, mapping, formats, edits, catalog, phoneRegion }, (text) => download(`problem-rows-${file.name}`, text));
  }

  async function previewChanges() {
    if (!file || !preview || mappingError || !formats || !checked) return;
    setDry(null);
    setStartError(null);
    const key = settingsKey;
    const id = await upload.start({ file, columns: preview.headers, mapping, formats, edits, sheet, phoneRegion, strategy, totalRows: check.rows, dryRun: true });
    if (id) setDry({ key, id, confirmed: new Set() });
  }

  async function startImport() {
    if (!previewId || starting) return;
    setStarting(true);
    setStartError(null);
    const r = await startPreviewedImportAction({ previewId }).catch((e: Error) => ({ ok: false as const, error: { message: e.message } }));
    if (r.ok) router.push(`/imports/${r.data.id}`);
    else {
      setStartError(r.error.message);
      setStarting(false);
    }
  }

  const ready = dryRun.preview?.ready;

  return (
    <div className="wizard" data-hydrated={hydrated ? "true" : undefined}>
      <FileStep
        onFile={(f) => chooseFile(f)}
        error={fileError ?? reopenError}
        sheets={preview?.sheets}
        sheet={sheet ?? preview?.sheet}
        onSheet={(name) => file && chooseFile(file, name)}
      />
      {preview && (
        <MappingStep
          preview={preview}
          mapping={mapping}
          onMapping={setMapping}
          fields={fields}
          onFieldCreated={(f) => setFields((fs) => [...fs, f])}
          canCreateFields={canCreateFields}
          remembered={remembered}
          error={mappingError}
          savedMappings={
            <SavedMappings
              headers={preview.headers}
              mapping={mapping}
              formats={formatsByHeader(preview.headers, formats)}
              canSave={!mappingError}
              onApply={(m, saved) => {
                setMapping(m);
                setRemembered(false);
                // a saved format is used where it still fits the column; the scan's suggestion elsewhere
                preview.headers.forEach((h, i) => {
                  const f = columnFormatSchema.safeParse(Object.hasOwn(saved, h) ? saved[h] : undefined); // own: a header may be "constructor"
                  if (f.success) columnFormats.choose(i, f.data);
                });
              }}
            />
          }
          formats={columnFormats.columns}
          samples={check.samples}
          onFormat={columnFormats.choose}
        />
      )}
      {preview && !mappingError && <CheckStep check={check} onDownloadProblemRows={downloadProblemRows} scanning={columnFormats.scanning} />}
      {file && preview && !mappingError && formats && (
        <FixStep
          key={preview.headers.join("\n")}
          csv={csv}
          file={file}
          headers={preview.headers}
          mapping={mapping}
          formats={formats}
          catalog={catalog}
          phoneRegion={phoneRegion}
          edits={edits}
          onEdits={keepEdits}
          problems={check.summary?.rowsWithProblems ?? 0}
        />
      )}
      {preview && !mappingError && (
        <PreviewStep
          strategy={strategy}
          onStrategy={setStrategy}
          canPreview={hydrated && checked}
          onPreview={previewChanges}
          upload={previewId || upload.status.state !== "sent" ? upload.status : { state: "idle", sent: 0 }}
          totalRows={check.rows}
          preview={dryRun.preview}
          previewError={dryRun.error}
          customLabels={customLabels}
        />
      )}
      {preview && !mappingError && (
        <StartStep
          guard={ready?.guard ?? []}
          confirmed={confirmed}
          onConfirm={(kind, on) =>
            setDry((d) => {
              if (!d) return d;
              const next = new Set(d.confirmed);
              if (on) next.add(kind);
              else next.delete(kind);
              return { ...d, confirmed: next };
            })
          }
          canStart={hydrated && !!ready}
          starting={starting}
          onStart={startImport}
          error={startError}
        />
      )}
    </div>
  );
}
