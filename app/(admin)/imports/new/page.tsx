import { requireStaffUser } from "@/lib/auth/staff-session";
import { listCustomFields } from "@/lib/custom-fields/custom-fields";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { reopenSettings } from "@/lib/imports/reopen-import";
import { ImportWizard } from "@/components/upload/import-wizard";

export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** `?from=<import id>`: that import's rejected rows, with its mapping, to fix and import again. */
export default async function NewImportPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireStaffUser();
  const from = (await searchParams).from;
  const reopen = typeof from === "string" && /^[0-9a-f-]{36}$/.test(from) ? await reopenSettings(db(), from) : null;
  return (
    <main>
      <h1>New import</h1>
      <ImportWizard
        customFields={await listCustomFields(db())}
        phoneRegion={env().DEFAULT_PHONE_REGION}
        canCreateFields={user.role === "admin"}
        reopen={reopen ?? undefined}
      />
    </main>
  );
}
