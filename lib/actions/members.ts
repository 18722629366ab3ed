"use server";

import { redirect } from "next/navigation";
import { db } from "../db/client";
import { MAX_TEXT_LENGTH } from "../fields";
import { staffAction } from "../http/staff-action";
import type { ActionResult } from "../http/action-result";
import { storableString } from "../storable-text";
import { eraseTarget } from "../targets/erase-target";

const erase = staffAction(
  storableString().min(1).max(MAX_TEXT_LENGTH),
  async (externalId, user, by) => eraseTarget(db(), externalId, by),
  { role: "admin" },
);

/**
 * "Erase this member" (admins only): the member and every copy kept
 * (lib/targets/erase-target.ts), then the members list, which says so
 * (?erased=). The redirect comes after the wrapper, which would catch it.
 */
export async function eraseMemberAction(externalId: string): Promise<ActionResult<never>> {
  const r = await erase(externalId);
  if (!r.ok) return r;
  redirect(`/members?${new URLSearchParams({ erased: externalId })}`);
}
