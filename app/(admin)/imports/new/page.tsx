import { requireStaffUser } from "@/lib/auth/staff-session";
import { listCustomFields } from "@/lib/custom-fields/custom-fields";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { ImportWizard } from "@/components/upload/import-wizard";

export const dynamic = "force-dynamic";

export default async function NewImportPage() {
  const user = await requireStaffUser();
  return (
    <main>
      <h1>New import</h1>
      <ImportWizard
        customFields={await listCustomFields(db())}
        phoneRegion={env().DEFAULT_PHONE_REGION}
        canCreateFields={user.role === "admin"}
      />
    </main>
  );
}
