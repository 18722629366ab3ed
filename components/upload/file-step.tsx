"use client";

/** Step 1: choose or drop the CSV or Excel file; for a workbook, its sheet. */
export function FileStep({
  onFile,
  error,
  sheets,
  sheet,
  onSheet,
}: {
  onFile: (f: File | null) => void;
  error: string | null;
  sheets?: string[];
  sheet?: string;
  onSheet?: (name: string) => void;
}) {
  return (
    <section aria-labelledby="step-file">
      <h2 id="step-file">1. Choose the file</h2>
      <div
        className="dropzone"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          onFile(e.dataTransfer.files[0] ?? null);
        }}
      >
        <label>
          CSV file (or Excel .xlsx){" "}
          <input
            type="file"
            accept=".csv,.txt,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => onFile(e.target.files?.[0] ?? null)}
          />
        </label>
        <p>or drop it here. Nothing is imported until you press Start import.</p>
      </div>
      {sheets && sheets.length > 1 && (
        <p>
          <label>
            Sheet{" "}
            <select value={sheet ?? sheets[0]} onChange={(e) => onSheet?.(e.target.value)}>
              {sheets.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>{" "}
          <span className="hint">This workbook has {sheets.length} sheets: choose the one to import.</span>
        </p>
      )}
      {error && (
        <p className="field-error" role="alert">
          We could not read this file: {error}
        </p>
      )}
    </section>
  );
}
