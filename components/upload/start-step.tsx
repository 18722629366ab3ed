"use client";

import type { ConflictStrategy } from "@/lib/vocabulary";
import type { UploadStatus } from "./use-upload";

/** Step 4: Reject or Ignore, Start import, and the sending's progress or failure. */
export function StartStep(props: {
  strategy: ConflictStrategy;
  onStrategy: (s: ConflictStrategy) => void;
  canStart: boolean;
  onStart: () => void;
  upload: UploadStatus;
  totalRows: number;
}) {
  const { strategy, onStrategy, upload, totalRows } = props;
  return (
    <section aria-labelledby="step-start">
      <h2 id="step-start">4. Start</h2>
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
      <button type="button" className="primary" disabled={!props.canStart || upload.state === "sending"} onClick={props.onStart}>
        Start import
      </button>
      <p role="status" className="visually-hidden">
        {upload.state === "sending" ? "Sending the file: keep this page open." : ""}
      </p>
      {upload.state === "sending" && (
        <label className="progress">
          Sending {upload.sent.toLocaleString("en-GB")} of {totalRows.toLocaleString("en-GB")} rows
          <progress value={upload.sent} max={totalRows} />
        </label>
      )}
      {upload.state === "error" && (
        <p className="field-error" role="alert">
          The file could not be sent: {upload.message}. Press Start import to try again; nothing is imported twice.
        </p>
      )}
    </section>
  );
}
