"use server";

import { db } from "@/lib/db/client";
import { staffAction } from "@/lib/http/staff-action";
import { deleteSavedMapping } from "@/lib/saved-mappings/delete-saved-mapping";
import { listSavedMappings } from "@/lib/saved-mappings/list-saved-mappings";
import { renameSavedMapping } from "@/lib/saved-mappings/rename-saved-mapping";
import { saveMapping } from "@/lib/saved-mappings/save-mapping";

// Any staff member may list, use and save mappings; renaming and deleting are
// checked in lib/ (the mapping's author, or an admin).
export const listSavedMappingsAction = staffAction(async (user) => listSavedMappings(db(), user));
export const saveMappingAction = staffAction(async (user, input: unknown) => saveMapping(db(), user, input));
export const renameSavedMappingAction = staffAction(async (user, input: unknown) => renameSavedMapping(db(), user, input));
export const deleteSavedMappingAction = staffAction(async (user, input: unknown) => deleteSavedMapping(db(), user, input));
