// The audit log's rows for one actor, as an admin filters /audit by "Who".
import type { Page } from "@playwright/test";
import { expect } from "./fixtures";

/** Opens /audit on an admin's page filtered to `who` (an email, or "<token> (API)") and returns its rows. */
export async function auditRowsOf(adminPage: Page, who: string) {
  await adminPage.goto("/audit");
  await adminPage.getByLabel("Who").selectOption({ label: who });
  await adminPage.getByRole("button", { name: "Filter" }).click();
  await expect(adminPage).toHaveURL(/[?&]actor=/);
  return adminPage.getByRole("table", { name: "Audit log" }).locator("tbody tr");
}
