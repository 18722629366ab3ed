import { Fragment } from "react";
import { MemberLink } from "@/components/members/member-link";

/** The two cells of a problem's row: what went wrong (its label, then the message) and whom it conflicts with (links to their pages). */
export function ProblemCells({ label, entry }: { label: string; entry: { message: string; conflicting_external_ids?: string[] } }) {
  return (
    <>
      <td>
        <strong>{label}</strong>
        <br />
        <small>{entry.message}</small>
      </td>
      <td>
        {entry.conflicting_external_ids?.map((id, i) => (
          <Fragment key={id}>
            {i > 0 && ", "}
            <MemberLink externalId={id} />
          </Fragment>
        )) ?? "—"}
      </td>
    </>
  );
}
