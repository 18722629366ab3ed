"use server";

import { db } from "../db/client";
import { staffAction } from "../http/staff-action";
import { jobIdSchema } from "../imports/job-id-schema";
import { getPreview } from "../imports/preview";
import { rememberedMapping } from "../imports/remembered-mapping";
import { beginUpload, finishUpload, startPreviewedImport } from "../imports/upload-import";
import { beginUploadSchema, fileColumnsSchema, finishUploadSchema, startPreviewSchema } from "../imports/upload-schema";

// The wizard's steps. The pieces of rows in between go to a route handler
// (app/(admin)/imports/new/pieces): Next.js runs a page's actions one at a time.
export const beginUploadAction = staffAction(beginUploadSchema, (input, user) => beginUpload(db(), user.id, input));
export const finishUploadAction = staffAction(finishUploadSchema, async (input, user, by) => finishUpload(db(), user.id, input, by));
// "Preview changes" polls its dry run; "Start import" runs the same staged file for real.
export const previewAction = staffAction(jobIdSchema, (id, user) => getPreview(db(), id, user.id));
export const startPreviewedImportAction = staffAction(startPreviewSchema, async (input, user, by) =>
  startPreviewedImport(db(), user.id, input, by),
);
// The mapping last chosen for a file with these very headers.
export const rememberedMappingAction = staffAction(fileColumnsSchema, (columns) => rememberedMapping(db(), columns));
