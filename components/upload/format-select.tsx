"use client";

// Beside a column's field: how its values are read (its format), with a few
// of its values as read → as they will be sent.
import type { ColumnFormat } from "@/lib/formats/column-format";
import type { ColumnFormatView } from "./use-column-formats";

const key = (f: ColumnFormat) => JSON.stringify(f);

export function FormatSelect({
  column,
  header,
  view,
  samples,
  onChoose,
}: {
  /** The column's index: ids are made from it (a header may hold spaces). */
  column: number;
  header: string;
  view: ColumnFormatView;
  /** As read → as sent, from the last check. */
  samples?: [string, string][];
  onChoose: (f: ColumnFormat) => void;
}) {
  const { suggestion, format } = view;
  if (!view.family) return null;
  if (!suggestion) return <span className="hint">Reading the column…</span>;
  const asking = !format;
  const questionId = `format-question-${column}`;
  return (
    <div className="format" data-testid={`format-${header}`}>
      {suggestion.choices.length > 0 && (
        <select
          aria-label={`Format of ${header}`}
          aria-describedby={asking ? questionId : undefined}
          aria-invalid={asking || undefined}
          value={format ? key(format) : ""}
          onChange={(e) => {
            const c = suggestion.choices.find((x) => key(x.format) === e.target.value);
            if (c) onChoose(c.format);
          }}
        >
          {asking && <option value="">Choose…</option>}
          {suggestion.choices.map((c) => (
            <option key={key(c.format)} value={key(c.format)}>
              {c.label}
            </option>
          ))}
        </select>
      )}
      {asking && (
        <p id={questionId} className="field-error">
          {suggestion.question}
        </p>
      )}
      {!asking && samples && samples.length > 0 && (
        <ul className="conversions" aria-label={`${header}: values as read and as sent`}>
          {samples.map(([from, to]) => (
            <li key={from}>
              {from} → {from === to ? <em>sent as written</em> : to}
            </li>
          ))}
        </ul>
      )}
      {asking && view.stats && view.stats.samples.length > 0 && (
        <p className="hint">Values such as {view.stats.samples.slice(0, 4).join(", ")}</p>
      )}
    </div>
  );
}
