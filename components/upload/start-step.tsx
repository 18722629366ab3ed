"use client";

import type { GuardReason } from "@/lib/imports/contact-guard";

/**
 * Step 5: "Start import" runs the previewed file for real (nothing is sent
 * again). When the preview looks like a mapping mistake (many emails or
 * phones change, or many are invalid), each reason must be confirmed in so
 * many words first.
 */
export function StartStep(props: {
  guard: GuardReason[];
  confirmed: ReadonlySet<string>;
  onConfirm: (kind: string, on: boolean) => void;
  canStart: boolean;
  starting: boolean;
  onStart: () => void;
  error: string | null;
}) {
  const { guard, confirmed } = props;
  const allConfirmed = guard.every((g) => confirmed.has(g.kind));
  return (
    <section aria-labelledby="step-start">
      <h2 id="step-start">5. Start</h2>
      {guard.length > 0 && (
        <fieldset className="guard">
          <legend>Check this before you start: it often means a column was matched to the wrong field</legend>
          {guard.map((g) => (
            <label key={g.kind}>
              <input type="checkbox" checked={confirmed.has(g.kind)} onChange={(e) => props.onConfirm(g.kind, e.target.checked)} /> {g.statement}
            </label>
          ))}
        </fieldset>
      )}
      <button type="button" className="primary" disabled={!props.canStart || !allConfirmed || props.starting} onClick={props.onStart}>
        Start import
      </button>
      {!props.canStart && <p>Preview the changes first.</p>}
      {props.error && (
        <p className="field-error" role="alert">
          The import could not be started: {props.error}. Press Start import to try again; it is never started twice.
        </p>
      )}
    </section>
  );
}
