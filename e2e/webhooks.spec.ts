// The tokens page's webhooks (admins): register one for an API user (its
// secret shown once), send a test event, and see the delivery listed with
// its status code and attempts, as the receiver got it, signed; then delete
// it after a confirmation, which the audit log records.
import { Webhook } from "standardwebhooks";
import { startReceiver } from "../tests/support/webhook-receiver";
import { audit } from "./a11y";
import { expect, signIn, test } from "./fixtures";

test("a webhook registered on the tokens page gets a signed test event, the page lists the delivery, and it is deleted after a confirmation", async ({ page }) => {
  const receiver = await startReceiver();
  try {
    const name = `Hooks ${Date.now()}`;
    await page.goto("/tokens");
    await signIn(page);
    await expect(page).toHaveURL(/\/tokens$/);
    const tokenForm = page.getByRole("form", { name: "New API token" });
    await tokenForm.getByLabel("Name").fill(name);
    await tokenForm.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByTestId("new-token")).toBeVisible();

    const section = page.getByRole("region", { name: `Webhooks of ${name}` });
    const form = section.getByRole("form", { name: `New webhook for ${name}` });
    // refused: http to a host CSV_URL_ALLOWED_HOSTS does not name
    await form.getByLabel("Webhook URL").fill("http://example.org/hook");
    await form.getByRole("button", { name: "Add webhook" }).click();
    await expect(form.locator(".field-error")).toContainText("https");

    const url = receiver.url("/e2e");
    await form.getByLabel("Webhook URL").fill(url);
    await form.getByRole("button", { name: "Add webhook" }).click();
    const secret = (await section.getByTestId("new-webhook-secret").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    await expect(section).toContainText(url);
    await expect(section).toContainText("No deliveries yet.");
    await audit(page, "the tokens page with a webhook");

    await section.getByRole("button", { name: `Send a test event to ${url}` }).click();
    await expect(section.getByRole("status").filter({ hasText: "Test event queued" })).toBeVisible();
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(1);
    const got = receiver.received[0];
    expect(new Webhook(secret).verify(got.body, got.headers as Record<string, string>)).toMatchObject({ type: "webhook.test" });

    // the delivery as the page lists it: delivered, status code 200, one attempt, no next try
    await expect(async () => {
      await page.reload();
      const row = page.getByRole("table", { name: `Recent deliveries to ${url}` }).locator("tbody tr").first();
      await expect(row).toContainText("webhook.test", { timeout: 1_000 });
      await expect(row.locator("td")).toHaveText(["webhook.test", "delivered", "200", "1", "—", /UTC$/], { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await expect(page.getByTestId("new-webhook-secret")).toHaveCount(0); // never shown again
    await audit(page, "the tokens page with a delivery listed");

    // Delete asks first; Cancel keeps it
    const hooks = page.getByRole("region", { name: `Webhooks of ${name}` });
    await hooks.getByRole("button", { name: `Delete the webhook to ${url}` }).click();
    const confirm = hooks.getByRole("group", { name: `Confirm deleting the webhook to ${url}` });
    await expect(confirm).toContainText("Nothing more will be sent to it");
    await audit(page, "the tokens page asking to confirm a webhook's deletion");
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect(confirm).toHaveCount(0);
    await hooks.getByRole("button", { name: `Delete the webhook to ${url}` }).click();
    await confirm.getByRole("button", { name: "Yes, delete" }).click();
    await expect(hooks).not.toContainText(url);
    await expect(hooks.getByRole("table", { name: `Recent deliveries to ${url}` })).toHaveCount(0);
    await page.reload();
    await expect(page.getByRole("region", { name: `Webhooks of ${name}` })).not.toContainText(url);

    // audited as the API's DELETE is
    await page.goto("/audit?action=webhook_deleted");
    const row = page.getByRole("table", { name: "Audit log" }).locator("tbody tr").first();
    await expect(row).toContainText("Webhook deleted");
    await expect(row).toContainText(url);
  } finally {
    await receiver.close();
  }
});
