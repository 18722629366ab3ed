"use client";

import type { Preview } from "@/lib/imports/preview";
import type { ConflictStrategy } from "@/lib/vocabulary";
import { PreviewResult } from "./preview-result";
import type { UploadStatus } from "./use-upload";

const n = (x: number) => x.toLocaleString("en-GB");

/**
 * Step 4: Reject or Ignore, then "Preview changes": the file is sent once, as
 * a dry run judged against the stored members in its turn; what it would do
 * is shown here, and "Start import" later runs that same file for real.
 */
export function PreviewStep(props: {
  strategy: ConflictStrategy;
  onStrategy: (s: ConflictStrategy) => void;
  canPreview: boolean;
  onPreview: () => void;
  upload: UploadStatus;
  totalRows: number;
  preview: Preview | null;
  previewError: string | null;
  customLabels: ReadonlyMap<string, string>;
}) {
  const { strategy, onStrategy, upload, totalRows, preview } = props;
  const running = upload.state === "sending" || (upload.state === "sent" && preview?.job.status !== "ready" && preview?.job.status !== "failed");
  return (
    <section aria-labelledby="step-preview">
      <h2 id="step-preview">4. Preview changes</h2>
      <fieldset>
        <legend>When a row’s email or phone number already belongs to another member</legend>
        <label>
          <input type="radio" name="strategy" value="reject" checked={strategy === "reject"} onChange={() => onStrategy("reject")} />{" "}
          Reject (recommended): leave that row out and list it, so nobody is merged by mistake.
        </label>
        <label>
          <input type="radio" name="strategy" value="ignore" checked={strategy === "ignore"} onChange={() => onStrategy("ignore")} />{" "}
          Ignore: import the row anyway; two members will share that email or phone.
        </label>
      </fieldset>
      <p>Nothing is changed yet: the preview compares the file with the members stored now.</p>
      <button type="button" disabled={!props.canPreview || running} onClick={props.onPreview}>
        Preview changes
      </button>
      {/* announced once per phase, not on every count (decision 013) */}
      <p role="status" className="visually-hidden">
        {upload.state === "sending"
          ? "Sending the file: keep this page open."
          : upload.state === "sent" && preview?.job.status === "running"
            ? "Comparing the file with the stored members…"
            : ""}
      </p>
      <div>
        {upload.state === "sending" && (
          <label className="progress">
            Sending {n(upload.sent)} of {n(totalRows)} rows
            <progress value={upload.sent} max={totalRows} />
          </label>
        )}
        {upload.state === "sent" && preview?.job.status === "running" && (
          <label className="progress">
            Comparing with the stored members: {n(preview.job.progress.processed)} of {n(totalRows)} rows
            <progress value={preview.job.progress.processed} max={totalRows} />
          </label>
        )}
        {props.previewError && <p role="alert">{props.previewError}</p>}
      </div>
      {upload.state === "error" && (
        <p className="field-error" role="alert">
          The file could not be sent: {upload.message}. Press Preview changes to try again.
        </p>
      )}
      {preview?.job.status === "failed" && (
        <p className="failure" role="alert">
          The preview failed: {preview.job.error?.message}
        </p>
      )}
      {preview?.ready && <PreviewResult preview={preview} customLabels={props.customLabels} />}
    </section>
  );
}
