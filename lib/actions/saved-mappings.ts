"use server";

import { z } from "zod";
import { db } from "../db/client";
import { staffAction } from "../http/staff-action";
import { deleteSavedMapping } from "../saved-mappings/delete-saved-mapping";
import { listSavedMappings } from "../saved-mappings/list-saved-mappings";
import { renameSavedMapping } from "../saved-mappings/rename-saved-mapping";
import { saveMapping } from "../saved-mappings/save-mapping";
import { deleteSavedMappingSchema, renameSavedMappingSchema, saveMappingSchema } from "../saved-mappings/saved-mapping-schema";

// Any staff member may list, use and save mappings; renaming and deleting are
// checked in lib/ (the mapping's author, or an admin).
export const listSavedMappingsAction = staffAction(z.void(), (_none, user) => listSavedMappings(db(), user));
export const saveMappingAction = staffAction(saveMappingSchema, async (input, user, by) => saveMapping(db(), user, input, by));
export const renameSavedMappingAction = staffAction(renameSavedMappingSchema, async (input, user, by) =>
  renameSavedMapping(db(), user, input, by),
);
export const deleteSavedMappingAction = staffAction(deleteSavedMappingSchema, async (input, user, by) =>
  deleteSavedMapping(db(), user, input, by),
);
