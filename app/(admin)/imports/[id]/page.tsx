import { notFound } from "next/navigation";
import { requireStaffUser } from "@/lib/auth/staff-session";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { getDeferredResult } from "@/lib/imports/deferred-result";
import { ImportProgress } from "@/components/imports/import-progress";

export const dynamic = "force-dynamic";

export default async function ImportPage({ params }: { params: Promise<{ id: string }> }) {
  await requireStaffUser();
  const { id } = await params;
  const initial = await getDeferredResult(db(), id, { staff: true }).catch((e) => {
    if (e instanceof AppError && e.code === "not_found") notFound();
    throw e;
  });
  return (
    <main>
      <h1>{initial.source === "revert" ? "Undo of an import" : initial.dry_run ? "Preview of an import" : "Import"}</h1>
      <ImportProgress id={id} initial={initial} />
    </main>
  );
}
