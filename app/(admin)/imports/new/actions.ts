"use server";

import { createCustomField } from "@/lib/custom-fields/custom-fields";
import { db } from "@/lib/db/client";
import { staffAction } from "@/lib/http/staff-action";
import { getPreview } from "@/lib/imports/preview";
import { rememberedMapping } from "@/lib/imports/remembered-mapping";
import { beginUpload, finishUpload, startPreviewedImport } from "@/lib/imports/upload-import";

export const beginUploadAction = staffAction(async (user, input: unknown) => beginUpload(db(), user.id, input));
// The pieces of rows in between go to ./pieces (a route handler): several at once.
export const finishUploadAction = staffAction(async (user, input: unknown) => finishUpload(db(), user.id, input));
// "Preview changes" polls its dry run; "Start import" runs the same staged file for real.
export const previewAction = staffAction(async (user, id: string) => getPreview(db(), String(id), user.id));
export const startPreviewedImportAction = staffAction(async (user, input: unknown) => startPreviewedImport(db(), user.id, input));
export const rememberedMappingAction = staffAction(async (_user, columns: string[]) =>
  rememberedMapping(db(), Array.isArray(columns) ? columns.map(String) : []),
);
// The wizard's "New custom field…": admins only, as on /fields.
export const createCustomFieldAction = staffAction(async (_user, input: unknown) => createCustomField(db(), input), { role: "admin" });
