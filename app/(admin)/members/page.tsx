import { requireStaffUser } from "@/lib/auth/staff-session";
import { listCustomFields } from "@/lib/custom-fields/custom-fields";
import { fieldFilterStates } from "@/lib/custom-fields/filter-indexes";
import { db, type Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { getImportHeading } from "@/lib/imports/import-heading";
import { listMembers, memberQueryOf, type MemberList } from "@/lib/targets/list-members";
import { MembersList } from "@/components/members/members-list";

export const dynamic = "force-dynamic";
export const metadata = { title: "Members · Target import" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The first page for the URL's search; null when its parameters are refused (the list then says why). */
async function firstPage(d: Db, params: URLSearchParams): Promise<MemberList | null> {
  try {
    return await listMembers(d, memberQueryOf(params));
  } catch (e) {
    if (e instanceof AppError && e.code === "invalid_payload") return null;
    throw e;
  }
}

// Every staff user: the members they imported, to find, check and export.
export default async function MembersPage({ searchParams }: { searchParams: SearchParams }) {
  await requireStaffUser();
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(await searchParams)) if (typeof v === "string") params.set(k, v);
  // the erase lands here once; the list's pages are kept in the browser, not the address
  const erased = params.get("erased");
  params.delete("erased");
  params.delete("cursor");
  const d = db();
  const importId = params.get("import");
  const [initial, catalogue, states, heading] = await Promise.all([
    firstPage(d, params),
    listCustomFields(d),
    fieldFilterStates(d),
    importId ? getImportHeading(d, importId) : null,
  ]);
  // a field without a ready filter index is read row by row (decision 027)
  const fields = catalogue.map((f) => ({ ...f, quick: states[f.slug]?.ready ?? false }));
  return (
    <main>
      <h1>Members</h1>
      <MembersList
        params={params.toString()}
        initial={initial}
        fields={fields}
        importName={heading ? `${heading.title}, ${heading.startedAt}` : null}
        erased={erased}
      />
    </main>
  );
}
