import type { HistoryEntry, MemberHistory } from "@/lib/targets/member-history";
import { JOB_SOURCE_LABEL } from "@/lib/vocabulary";
import { fieldLabel, shownValue, whenText } from "./member-values";

const WHAT: Record<HistoryEntry["kind"], [heading: string, caption: string]> = {
  created: ["Created", "What it set"],
  changed: ["Changed", "What it changed"],
  deleted: ["Deleted by an undo", "What it removed"],
};

function Entry({ entry, n, customLabels }: { entry: HistoryEntry; n: number; customLabels: ReadonlyMap<string, string> }) {
  const [heading, caption] = WHAT[entry.kind];
  const when = whenText(entry.at);
  return (
    <article aria-labelledby={`change-${n}`} data-testid="history-entry">
      <h3 id={`change-${n}`}>
        {when}: {heading}
      </h3>
      <p>
        By {entry.by}, in <a href={`/imports/${entry.jobId}`}>{entry.title}</a> ({JOB_SOURCE_LABEL[entry.source]})
      </p>
      <table className="data">
        <caption>
          {caption}
          <span className="visually-hidden">
            : {entry.title}, {when}
          </span>
        </caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {entry.fields.map((f) => (
            <tr key={f.key}>
              <th scope="row">{fieldLabel(f.key, customLabels)}</th>
              <td>{shownValue(f.before)}</td>
              <td>{shownValue(f.after)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}

/** The member's changes, newest first: when, who, which import (a link to it), and each field's value before and after. */
export function MemberHistoryView({ history, limit, customLabels }: { history: MemberHistory; limit: number; customLabels: ReadonlyMap<string, string> }) {
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      {history.entries.length === 0 && <p>No changes to this member are kept.</p>}
      {history.entries.map((e, i) => (
        <Entry key={e.jobId} entry={e} n={i} customLabels={customLabels} />
      ))}
      {history.more && <p className="note">Only the changes of the latest {limit} imports and undos that wrote this member are listed.</p>}
      {history.olderNotKept && (
        <p className="note" data-testid="history-older-not-kept">
          Older history of this member is no longer kept: the details of each import are deleted some time after it ends.
        </p>
      )}
    </section>
  );
}
