"use client";

// The upload wizard: choose a file, match its columns, see it checked with
// the server's rules, preview what it would change in the stored members (a
// dry run of the uploaded file), start the import (the same staged file run
// for real: nothing is sent again). The file is read in a Web Worker
// (use-csv-worker.ts, csv.worker.ts) and sent in pieces (use-upload.ts);
// each step is its own component.
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { rememberedMappingAction, startPreviewedImportAction } from "@/app/(admin)/imports/new/actions";
import type { CustomField } from "@/lib/custom-fields/custom-field-schema";
import { SKIP } from "@/lib/targets/fields";
import { autoMap } from "@/lib/upload/auto-map";
import type { ConflictStrategy } from "@/lib/vocabulary";
import { useHydrated } from "@/components/use-hydrated";
import { CheckStep, type CheckState } from "./check-step";
import { FileStep } from "./file-step";
import { MappingStep } from "./mapping-step";
import { PreviewStep } from "./preview-step";
import { SavedMappings } from "./saved-mappings";
import { StartStep } from "./start-step";
import { useCsvWorker, type Preview } from "./use-csv-worker";
import { usePreview } from "./use-preview";
import { useUpload } from "./use-upload";

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

const settingsKeyOf = (fileNo: number, mapping: string[]) => JSON.stringify([fileNo, mapping]);

export function ImportWizard({
  customFields: initialFields,
  phoneRegion,
  canCreateFields,
}: {
  customFields: CustomField[];
  phoneRegion: string;
  /** An admin: may add custom fields from the mapping step. */
  canCreateFields: boolean;
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
  // The dry run of this file with these settings, and what was confirmed of
  // it: another file, mapping or choice makes it stale (preview again).
  const [fileNo, setFileNo] = useState(0);
  const settingsKey = JSON.stringify([settingsKeyOf(fileNo, mapping), strategy]);
  const [dry, setDry] = useState<{ key: string; id: string; confirmed: ReadonlySet<string> } | null>(null);
  const previewId = dry?.key === settingsKey ? dry.id : null;
  const confirmed = previewId ? dry!.confirmed : new Set<string>();
  const dryRun = usePreview(previewId);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const customLabels = useMemo(() => new Map(fields.map((f) => [f.slug, f.label])), [fields]);

  const catalog = useMemo(() => fields.map((f) => [f.slug, f.kind] as [string, string]), [fields]);
  const mappingError = useMemo(() => {
    if (!preview) return null;
    const chosen = mapping.filter((m) => m !== SKIP);
    if (!chosen.includes("external_id")) return "Choose the column that holds external_id (the member number).";
    const dup = chosen.find((m, i) => chosen.indexOf(m) !== i);
    return dup ? `Two columns go to ${dup}: choose one.` : null;
  }, [mapping, preview]);

  function chooseFile(f: File | null) {
    setFile(f);
    setFileNo((x) => x + 1);
    setPreview(null);
    setCheck({ state: "idle", rows: 0 });
    setFileError(null);
    if (!f) return;
    csv.preview(f, {
      error: setFileError,
      done: (p) => {
        setPreview(p);
        setMapping(autoMap(p.headers, fields.map((x) => x.slug)));
        setRemembered(false);
        void rememberedMappingAction(p.headers).then((r) => {
          if (r.ok && r.data && r.data.length === p.headers.length) {
            setMapping(r.data);
            setRemembered(true);
          }
        });
      },
    });
  }

  // Check the whole file whenever the mapping settles.
  useEffect(() => {
    if (!file || !preview || mappingError) return;
    const timer = setTimeout(() => {
      setCheck({ state: "running", rows: 0 });
      csv.check(
        { file, mapping, catalog, phoneRegion },
        {
          progress: (rows) => setCheck({ state: "running", rows }),
          done: (summary) => setCheck({ state: "done", rows: summary.rowsChecked, summary, of: settingsKeyOf(fileNo, mapping) }),
          error: setFileError,
        },
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [csv, file, fileNo, preview, mapping, catalog, mappingError, phoneRegion]);

  // the check of this file and mapping is done (not one of a mapping just changed)
  const checked = check.state === "done" && check.of === settingsKeyOf(fileNo, mapping);

  function downloadProblemRows() {
    if (file) csv.problemRows({ file, mapping, catalog, phoneRegion }, (text) => download(`problem-rows-${file.name}`, text));
  }

  async function previewChanges() {
    if (!file || !preview || mappingError || !checked) return;
    setDry(null);
    setStartError(null);
    const key = settingsKey;
    const id = await upload.start({ file, columns: preview.headers, mapping, strategy, totalRows: check.rows, dryRun: true });
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
      <FileStep onFile={chooseFile} error={fileError} />
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
              // header → column format, once the wizard has them (issue 9, formats)
              formats={{}}
              canSave={!mappingError}
              onApply={(m) => {
                setMapping(m);
                setRemembered(false);
              }}
            />
          }
        />
      )}
      {preview && !mappingError && <CheckStep check={check} onDownloadProblemRows={downloadProblemRows} />}
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
