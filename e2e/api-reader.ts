// What an import stored, read back through the API: a token made on the
// /tokens page as an admin makes one, and a member's record by external_id.
import type { Page } from "@playwright/test";
import { expect } from "./fixtures";

/** A new API token for an API user of this name (the page must be signed in as an admin). */
export async function newApiToken(page: Page, name: string): Promise<string> {
  await page.goto("/tokens");
  const form = page.getByRole("form", { name: "New API token" });
  await form.getByLabel("Name").fill(name);
  await form.getByRole("button", { name: "Create token" }).click();
  return (await page.getByTestId("new-token").textContent())!.trim();
}

/** A reader of stored members through the API, with a new token. */
export async function apiReader(page: Page, name: string): Promise<(externalId: string) => Promise<Record<string, unknown>>> {
  const token = await newApiToken(page, name);
  return async (externalId) => {
    const res = await page.request.get(`/api/targets/${externalId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status()).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };
}
