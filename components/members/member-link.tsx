/** A link to a member's page, named by its external_id. */
export function MemberLink({ externalId }: { externalId: string }) {
  return <a href={`/members/${encodeURIComponent(externalId)}`}>{externalId}</a>;
}
