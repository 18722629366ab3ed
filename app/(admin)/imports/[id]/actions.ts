"use server";

import { db } from "@/lib/db/client";
import { staffAction } from "@/lib/http/staff-action";
import { requestRevert } from "@/lib/imports/revert-import";
import { planRevert } from "@/lib/imports/revert-plan";

// "Undo this import": first what it would do (nothing written), then the undo itself (idempotent).
export const planRevertAction = staffAction(async (_user, id: string) => planRevert(db(), String(id)));
export const revertImportAction = staffAction(async (user, id: string) => {
  const accepted = await requestRevert(db(), String(id), { staff: true }, user.id);
  return { id: accepted.id };
});
