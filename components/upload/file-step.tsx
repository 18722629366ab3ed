"use client";

import { useEffect, useRef } from "react";

const n = (x: number) => x.toLocaleString("en-GB", { maximumFractionDigits: 1 });

/** A file's size as staff read it: "850 bytes", "12.5 KB", "48.3 MB". */
function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`;
  if (bytes < 1024 * 1024) return `${n(bytes / 1024)} KB`;
  return `${n(bytes / 1024 / 1024)} MB`;
}

type FileStepProps = {
  file: File | null;
  /** The file's data rows, once counted. */
  rows: number | null;
  onFile: (f: File | null) => void;
  error: string | null;
  sheets?: string[];
  sheet?: string;
  onSheet?: (name: string) => void;
};

/** Step 1: choose or drop the CSV or Excel file; for a workbook, its sheet. The chosen file is named, with its size and rows. */
export function FileStep({ file, rows, onFile, error, sheets, sheet, onSheet }: FileStepProps) {
  const input = useRef<HTMLInputElement>(null);
  // The file box holds the file however it came (dropped, or a reopened
  // import's rejected rows), so it never says "No file chosen" beside one.
  useEffect(() => {
    const box = input.current;
    if (!box || box.files?.[0] === file) return;
    if (!file) box.value = "";
    else if (typeof DataTransfer === "function") {
      const dt = new DataTransfer();
      dt.items.add(file);
      box.files = dt.files;
    }
  }, [file]);
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
            ref={input}
            type="file"
            accept=".csv,.txt,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => onFile(e.target.files?.[0] ?? null)}
          />
        </label>
        <p>or drop it here. Nothing is imported until you press Start import.</p>
      </div>
      {file && (
        <p className="chosen-file" data-testid="chosen-file">
          Chosen: <strong>{file.name}</strong>, {fileSize(file.size)}
          {rows !== null ? `, ${n(rows)} ${rows === 1 ? "row" : "rows"}` : error ? "" : ", counting its rows…"}
        </p>
      )}
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
