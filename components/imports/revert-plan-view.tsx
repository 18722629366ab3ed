"use client";

import type { RevertPlan } from "@/lib/imports/revert-plan";

const n = (x: number) => x.toLocaleString("en-GB");
const shown = (v: unknown) => (v === null || v === undefined ? "(empty)" : String(v));
const members = (x: number) => `${n(x)} ${x === 1 ? "member" : "members"}`;
const more = (count: number, listed: number) => (count > listed ? <p>and {n(count - listed)} more.</p> : null);

/** What undoing an import would do now: deleted, restored (value by value), left as it is and why. */
export function RevertPlanView({ plan }: { plan: RevertPlan }) {
  return (
    <div data-testid="revert-plan">
      <h3>Undoing this import would</h3>
      <section aria-labelledby="plan-deleted">
        <h4 id="plan-deleted">Delete {members(plan.deleted.count)} it created</h4>
        <ul>
          {plan.deleted.first.map((id) => (
            <li key={id}>{id}</li>
          ))}
        </ul>
        {more(plan.deleted.count, plan.deleted.first.length)}
      </section>
      <section aria-labelledby="plan-restored">
        <h4 id="plan-restored">Give {members(plan.restored.count)} back the values it overwrote</h4>
        <ul>
          {plan.restored.first.map((r) => (
            <li key={r.externalId}>
              {r.externalId}:{" "}
              {r.fields.map((f) => `${f.key} ${shown(f.now)} → ${shown(f.restored)}`).join("; ")}
            </li>
          ))}
        </ul>
        {more(plan.restored.count, plan.restored.first.length)}
      </section>
      <section aria-labelledby="plan-skipped">
        <h4 id="plan-skipped">
          Leave {members(plan.skipped.count)} as they are
          {plan.skipped.count > 0 && ` (${n(plan.skipped.changedSince)} changed since, ${n(plan.skipped.conflict)} in conflict)`}
        </h4>
        <ul>
          {plan.skipped.first.map((s, i) => (
            <li key={`${s.externalId}-${i}`}>
              {s.externalId ?? "An erased member"}: {s.message}
            </li>
          ))}
        </ul>
        {more(plan.skipped.count, plan.skipped.first.length)}
      </section>
    </div>
  );
}
