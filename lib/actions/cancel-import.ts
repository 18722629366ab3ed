"use server";

import { db } from "../db/client";
import { staffAction } from "../http/staff-action";
import { cancelImport } from "../imports/cancel-import";
import { jobIdSchema } from "../imports/job-id-schema";

/** How long the button's answer waits for the engine; the page's own polling shows the rest. */
const STAFF_WAIT_MS = 10_000;

// "Cancel import": the uploader of an upload, or any admin for any import (checked in lib/imports/cancel-import.ts).
export const cancelImportAction = staffAction(jobIdSchema, async (id, user, by) =>
  cancelImport(db(), id, { staff: user }, by, STAFF_WAIT_MS),
);
