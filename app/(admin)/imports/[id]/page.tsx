import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getStaffUser, requireStaffUser } from "@/lib/auth/staff-session";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { getDeferredResult } from "@/lib/imports/deferred-result";
import { getImportHeading } from "@/lib/imports/import-heading";
import { staffMayCancelJob } from "@/lib/imports/cancel-import";
import { ImportProgress } from "@/components/imports/import-progress";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const heading = (await getStaffUser()) ? await getImportHeading(db(), (await params).id) : null;
  return { title: heading ? `${heading.title} · ${heading.startedBy}, ${heading.startedAt} · Target import` : "Import · Target import" };
}

export default async function ImportPage({ params }: Params) {
  const user = await requireStaffUser();
  const { id } = await params;
  const [initial, heading, mayCancel] = await Promise.all([
    getDeferredResult(db(), id, { staff: true }).catch((e) => {
      if (e instanceof AppError && e.code === "not_found") notFound();
      throw e;
    }),
    getImportHeading(db(), id),
    staffMayCancelJob(db(), id, user),
  ]);
  return (
    <main>
      <h1>{heading?.title ?? "Import"}</h1>
      {heading && (
        <p className="byline" data-testid="import-byline">
          Started by {heading.startedBy} on {heading.startedAt}
        </p>
      )}
      <ImportProgress id={id} initial={initial} mayCancel={mayCancel} />
    </main>
  );
}
