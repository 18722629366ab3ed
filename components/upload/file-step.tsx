"use client";

/** Step 1: choose or drop the CSV file. */
export function FileStep({ onFile, error }: { onFile: (f: File | null) => void; error: string | null }) {
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
          CSV file <input type="file" accept=".csv,.txt,text/csv" onChange={(e) => onFile(e.target.files?.[0] ?? null)} />
        </label>
        <p>or drop it here. Nothing is imported until you press Start import.</p>
      </div>
      {error && (
        <p className="field-error" role="alert">
          We could not read this file: {error}
        </p>
      )}
    </section>
  );
}
