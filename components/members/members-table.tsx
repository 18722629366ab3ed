"use client";

import Link from "next/link";
import { ATTRIBUTE_FIELDS, SUBSCRIPTION_KEYS } from "@/lib/fields";
import type { MemberRow } from "@/lib/targets/list-members";
import type { MemberSort } from "@/lib/targets/member-query";
import { DataTable } from "@/components/data-table";
import type { SortDir } from "./member-form";

// In UTC, the same in the server's HTML and the browser's.
const WHEN = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** "email", "SMS"…: each flag's label without its "Subscribed: ". */
const CHANNEL = new Map(ATTRIBUTE_FIELDS.map((f) => [f.key, f.label.replace(/^Subscribed: /, "")]));

/** The columns in order; a sortable one names its sort. */
const COLUMNS: { label: string; sort?: MemberSort }[] = [
  { label: "Member number", sort: "external_id" },
  { label: "Name", sort: "name" },
  { label: "Email" },
  { label: "Phone" },
  { label: "Subscribed" },
  { label: "Last change", sort: "updated_at" },
];

type Sorting = { sort: MemberSort; dir: SortDir; onSort: (sort: MemberSort, dir: SortDir) => void };

/** A column's header as a button: again reverses the order; last change starts with the newest. */
function SortButton({ label, column, sorting }: { label: string; column: MemberSort; sorting: Sorting }) {
  const active = sorting.sort === column;
  const dir: SortDir = active ? (sorting.dir === "asc" ? "desc" : "asc") : column === "updated_at" ? "desc" : "asc";
  return (
    <button type="button" className="link sort" onClick={() => sorting.onSort(column, dir)}>
      {label} <span aria-hidden="true">{active ? (sorting.dir === "asc" ? "▲" : "▼") : "↕"}</span>
    </button>
  );
}

/** Last name first, as the list sorts by name. */
function nameOf(m: MemberRow): string {
  return [m.last_name, m.first_name].filter((n) => n !== null && n !== "").join(", ");
}

/** The flags that are known: "email: yes, SMS: no". */
function flagsOf(m: MemberRow): string {
  return SUBSCRIPTION_KEYS.filter((k) => m.flags[k] !== null)
    .map((k) => `${CHANNEL.get(k)}: ${m.flags[k] ? "yes" : "no"}`)
    .join(", ");
}

function MemberRowCells({ m }: { m: MemberRow }) {
  return (
    <tr>
      <td>
        {/* no prefetch: a page of links would otherwise read each member's page */}
        <Link href={`/members/${encodeURIComponent(m.external_id)}`} prefetch={false}>
          {m.external_id}
        </Link>
      </td>
      <td>{nameOf(m) || "—"}</td>
      <td>{m.email ?? "—"}</td>
      <td>{m.phone_number ?? "—"}</td>
      <td>{flagsOf(m) || "—"}</td>
      <td>
        <time dateTime={m.updated_at}>{WHEN.format(new Date(m.updated_at))} UTC</time>
      </td>
    </tr>
  );
}

export function MembersTable({ members, busy, sorting }: { members: MemberRow[]; busy: boolean; sorting: Sorting }) {
  const sortedColumn = COLUMNS.findIndex((c) => c.sort === sorting.sort);
  return (
    <DataTable
      label="Members"
      columns={COLUMNS.map((c) => (c.sort ? <SortButton key={c.label} label={c.label} column={c.sort} sorting={sorting} /> : c.label))}
      sorted={{ column: sortedColumn, dir: sorting.dir === "asc" ? "ascending" : "descending" }}
      busy={busy}
    >
      {members.map((m) => (
        <MemberRowCells key={m.external_id} m={m} />
      ))}
    </DataTable>
  );
}
