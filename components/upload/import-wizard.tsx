"use client";

// The upload wizard: choose a file, match its columns, see it checked with
// the server's rules, start the import. The file is read in a Web Worker
// (use-csv-worker.ts, csv.worker.ts) and sent in pieces (use-upload.ts);
// each step is its own component.
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { rememberedMappingAction } from "@/app/(admin)/imports/new/actions";
import type { CustomField } from "@/lib/custom-fields/custom-field-schema";
import { SKIP } from "@/lib/targets/fields";
import { autoMap } from "@/lib/upload/auto-map";
import { NO_EDITS, type RowEdits } from "@/lib/upload/row-edits";
import type { ConflictStrategy } from "@/lib/vocabulary";
import { useHydrated } from "@/components/use-hydrated";
import { CheckStep, type CheckState } from "./check-step";
import { FileStep } from "./file-step";
import { MappingStep } from "./mapping-step";
import { FixStep } from "./fix-step";
import { StartStep } from "./start-step";
import { useColumnFormats } from "./use-column-formats";
import { useCsvWorker, type Preview } from "./use-csv-worker";
import { useUpload } from "./use-upload";

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
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

  // Check the whole file whenever the mapping settles.
  useEffect(() => {
    if (!file || !preview || mappingError || !formats) return;
    const timer = setTimeout(() => {
      setCheck({ state: "running", rows: 0 });
      csv.check(
        { file, mapping, formats, edits, catalog, phoneRegion },
        {
          progress: (rows) => setCheck({ state: "running", rows }),
          done: (summary, samples) => setCheck({ state: "done", rows: summary.rowsChecked, summary, samples }),
          error: setFileError,
        },
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [csv, file, preview, mapping, formats, edits, catalog, mappingError, phoneRegion]);

  function downloadProblemRows() {
    if (file && formats) csv.problemRows({ file, mapping, formats, edits, catalog, phoneRegion }, (text) => download(`problem-rows-${file.name}`, text));
  }

  async function startImport() {
    if (!file || !preview || mappingError || !formats || check.state !== "done") return;
    const id = await upload.start({ file, columns: preview.headers, mapping, formats, edits, sheet, phoneRegion, strategy, totalRows: check.rows });
    if (id) router.push(`/imports/${id}`);
  }

  return (
    <div className="wizard" data-hydrated={hydrated ? "true" : undefined}>
      <FileStep
        onFile={(f) => chooseFile(f)}
        error={fileError ?? reopenError}
        sheets={preview?.sheets}
        sheet={sheet}
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
          onEdits={setEdits}
          problems={check.summary?.rowsWithProblems ?? 0}
        />
      )}
      {preview && !mappingError && (
        <StartStep
          strategy={strategy}
          onStrategy={setStrategy}
          canStart={hydrated && check.state === "done"}
          onStart={startImport}
          upload={upload.status}
          totalRows={check.rows}
        />
      )}
    </div>
  );
}
