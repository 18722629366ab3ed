import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getStaffUser, requireStaffUser } from "@/lib/auth/staff-session";
import { listCustomFields } from "@/lib/custom-fields/custom-fields";
import { db } from "@/lib/db/client";
import { HISTORY_LIMIT, memberHistory } from "@/lib/targets/member-history";
import { EraseMember } from "@/components/members/erase-member";
import { MemberDetails } from "@/components/members/member-details";
import { MemberHistoryView } from "@/components/members/member-history";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ external_id: string }> };

/** The segment as the link wrote it (encodeURIComponent): Next.js hands it over still escaped. Null: not an escape a link makes. */
function externalIdOf(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const signedIn = (await getStaffUser()) !== null;
  const externalId = signedIn ? externalIdOf((await params).external_id) : null;
  return { title: externalId === null ? "Member · Target import" : `Member ${externalId} · Target import` };
}

// Every staff user sees a member and its history; only admins erase (the action checks it too: lib/actions/members.ts).
export default async function MemberPage({ params }: Params) {
  const user = await requireStaffUser();
  const externalId = externalIdOf((await params).external_id);
  if (externalId === null) notFound();
  const [history, customFields] = await Promise.all([memberHistory(db(), externalId), listCustomFields(db())]);
  if (!history) notFound();
  const { member } = history;
  const name = [member.attrs.first_name, member.attrs.last_name].filter(Boolean).join(" ");
  const customLabels = new Map(customFields.map((f) => [f.slug, f.label]));
  return (
    <main>
      <p>
        <Link href="/members">All members</Link>
      </p>
      <h1>{name || externalId}</h1>
      {name && <p className="byline">Member number {externalId}</p>}
      <MemberDetails member={member} customFields={customFields} />
      <MemberHistoryView history={history} limit={HISTORY_LIMIT} customLabels={customLabels} />
      {user.role === "admin" && <EraseMember externalId={externalId} imports={history.entries.length} />}
    </main>
  );
}
