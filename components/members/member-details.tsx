import { ATTRIBUTE_FIELDS } from "@/lib/fields";
import type { ListedMember } from "@/lib/targets/search-targets";
import { whenText } from "./member-values";

type CustomField = { slug: string; label: string };

function Detail({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

const flagText = (v: unknown) => (v === true ? "Yes" : v === false ? "No" : "Not known");
const text = (v: unknown) => (v === null || v === undefined ? "Not given" : String(v));

/** Every attribute of the member, its subscriptions and custom fields, labelled as the fields page and the wizard label them. */
export function MemberDetails({ member, customFields }: { member: ListedMember; customFields: readonly CustomField[] }) {
  const own = (slug: string) => (Object.hasOwn(member.custom, slug) ? member.custom[slug] : null);
  return (
    <section aria-labelledby="details-heading">
      <h2 id="details-heading">Details</h2>
      <dl className="member-details">
        <Detail label="external_id (member number)" value={member.externalId} testId="member-external_id" />
        {ATTRIBUTE_FIELDS.filter((f) => f.kind !== "flag").map((f) => (
          <Detail key={f.key} label={f.label} value={text(member.attrs[f.key])} testId={`member-${f.key}`} />
        ))}
      </dl>
      <h3>Subscriptions</h3>
      <dl className="member-details">
        {ATTRIBUTE_FIELDS.filter((f) => f.kind === "flag").map((f) => (
          <Detail key={f.key} label={f.label} value={flagText(member.attrs[f.key])} testId={`member-${f.key}`} />
        ))}
      </dl>
      <h3>Custom fields</h3>
      {customFields.length === 0 ? (
        <p>There are no custom fields.</p>
      ) : (
        <dl className="member-details">
          {customFields.map((f) => (
            <Detail key={f.slug} label={f.label} value={text(own(f.slug))} testId={`member-${f.slug}`} />
          ))}
        </dl>
      )}
      <p className="hint">
        First imported on {whenText(member.createdAt)}; last changed on {whenText(member.updatedAt)}.
      </p>
    </section>
  );
}
