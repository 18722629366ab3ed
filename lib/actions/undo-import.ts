"use server";

import { db } from "../db/client";
import { staffAction } from "../http/staff-action";
import { jobIdSchema } from "../imports/job-id-schema";
import { requestRevert } from "../imports/revert-import";
import { planRevert } from "../imports/revert-plan";

// "Undo this import": first what it would do (nothing written), then the undo itself (idempotent).
export const planRevertAction = staffAction(jobIdSchema, (id) => planRevert(db(), id));
export const revertImportAction = staffAction(jobIdSchema, async (id, user, by) => {
  const accepted = await requestRevert(db(), id, { staff: true }, user.id, by);
  return { id: accepted.id };
});
