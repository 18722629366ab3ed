"use client";

// The upload wizard: choose a file, match its columns, see it checked with
// the server's rules, preview what it would change in the stored members (a
// dry run of the uploaded file), start the import (the same staged file run
// for real: nothing is sent again). This is its layout; its workings are in
// use-wizard.ts, its state in lib/upload/wizard-state.ts, and each step is
// its own component. The file is read in a Web Worker (use-csv-worker.ts,
// csv.worker.ts) and sent in pieces (use-upload.ts).
import { QueryProvider } from "@/components/query-provider";
import { useHydrated } from "@/components/use-hydrated";
import { CheckStep } from "./check-step";
import { FileStep } from "./file-step";
import { FixStep } from "./fix-step";
import { MappingStep } from "./mapping-step";
import { PreviewStep } from "./preview-step";
import { SavedMappings } from "./saved-mappings";
import { StartStep } from "./start-step";
import { useWizard, type WizardProps } from "./use-wizard";

type Props = WizardProps & {
  /** An admin: may add custom fields from the mapping step. */
  canCreateFields: boolean;
};

export function ImportWizard(props: Props) {
  // the dry run's poll and the problems' pages
  return (
    <QueryProvider>
      <Wizard {...props} />
    </QueryProvider>
  );
}

function Wizard({ canCreateFields, ...props }: Props) {
  const w = useWizard(props);
  const hydrated = useHydrated();
  const { state: s, dispatch, dryRun } = w;
  const { file, preview } = s;
  const ready = preview && !w.mappingError;
  return (
    <div className="wizard" data-hydrated={hydrated ? "true" : undefined}>
      <FileStep
        file={file}
        rows={w.rows}
        onFile={(f) => w.chooseFile(f)}
        error={s.fileError}
        sheets={preview?.sheets}
        sheet={s.sheet ?? preview?.sheet}
        onSheet={(name) => file && w.chooseFile(file, name)}
      />
      {preview && <Mapping w={w} canCreateFields={canCreateFields} />}
      {ready && <CheckStep check={s.check} onDownloadProblemRows={w.downloadProblemRows} scanning={w.columnFormats.scanning} />}
      {ready && file && w.request && (
        <FixStep
          key={preview.headers.join("\n")}
          csv={w.csv}
          file={file}
          headers={preview.headers}
          mapping={s.mapping}
          formats={w.request.formats}
          catalog={w.catalog}
          phoneRegion={props.phoneRegion}
          edits={s.edits}
          onEdits={w.onEdits}
          problems={s.check.summary?.rowsWithProblems ?? 0}
        />
      )}
      {ready && (
        <PreviewStep
          strategy={s.strategy}
          onStrategy={(strategy) => dispatch({ type: "strategy-chosen", strategy })}
          canPreview={hydrated && w.checked}
          onPreview={w.previewChanges}
          upload={dryRun.upload}
          totalRows={s.check.rows}
          preview={dryRun.preview}
          previewError={dryRun.error}
          customLabels={w.customLabels}
        />
      )}
      {ready && (
        <StartStep
          guard={dryRun.ready?.guard ?? []}
          confirmed={w.confirmed}
          onConfirm={(kind, on) => dispatch({ type: "guard-confirmed", kind, on })}
          canStart={hydrated && !!dryRun.ready}
          starting={s.starting}
          onStart={w.startImport}
          error={s.startError}
        />
      )}
    </div>
  );
}

/** Step 2, with the saved mappings and each column's format. */
function Mapping({ w, canCreateFields }: { w: ReturnType<typeof useWizard>; canCreateFields: boolean }) {
  const { state: s, dispatch } = w;
  const preview = s.preview!;
  return (
    <MappingStep
      preview={preview}
      mapping={s.mapping}
      onMapping={(mapping) => dispatch({ type: "mapping-chosen", mapping })}
      fields={s.fields}
      onFieldCreated={(field) => dispatch({ type: "field-created", field })}
      canCreateFields={canCreateFields}
      remembered={s.mappingFrom === "remembered"}
      error={w.mappingError}
      savedMappings={
        <SavedMappings headers={preview.headers} mapping={s.mapping} formats={w.savedFormats} canSave={!w.mappingError} onApply={w.applySavedMapping} />
      }
      formats={w.columnFormats.columns}
      samples={s.check.samples}
      onFormat={w.columnFormats.choose}
    />
  );
}
