// Two-factor sign-in as a user does it (issue 19): set up on /account with
// the keyboard alone, the app's code computed from the key shown as text.
import type { Page } from "@playwright/test";
import { totpCode } from "../tests/support/totp";
import { tabTo } from "./a11y";
import { expect } from "./fixtures";

/** On /account (signed in, two-factor off): sets it up with the keyboard alone. The key as shown and the backup codes. */
export async function setUpTwoFactor(page: Page, password: string, opts: { onEachStep?: (step: string) => Promise<void> } = {}) {
  await tabTo(page, page.getByLabel("Your password, to set it up"));
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("img", { name: /QR code/ })).toBeVisible();
  const secret = (await page.getByTestId("two-factor-secret").textContent())!;
  await opts.onEachStep?.("the QR code and the key");
  await tabTo(page, page.getByLabel("Code from your app"));
  await page.keyboard.type(await totpCode(secret));
  await page.keyboard.press("Enter");
  const codes = page.getByRole("list", { name: "Backup codes" }).getByRole("listitem");
  await expect(codes.first()).toBeVisible();
  const backupCodes = await codes.allTextContents();
  await opts.onEachStep?.("the backup codes");
  await tabTo(page, page.getByRole("link", { name: "I have saved them" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("region", { name: "Two-factor sign-in" })).toContainText("On.");
  return { secret, backupCodes };
}

/** On the login form's second step: the app's code now. */
export async function enterCode(page: Page, secret: string) {
  await page.getByLabel("Code from your app").fill(await totpCode(secret));
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** On /account: fills in and sends the password form; the form, to read its answer. */
export async function changePassword(page: Page, current: string, next: string) {
  const form = page.getByRole("form", { name: "Password" });
  await form.getByLabel("Current password").fill(current);
  await form.getByLabel("New password", { exact: true }).fill(next);
  await form.getByLabel("New password again").fill(next);
  await form.getByRole("button", { name: "Change password" }).click();
  return form;
}
