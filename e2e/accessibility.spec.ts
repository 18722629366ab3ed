// Accessibility: axe-core audits every page and every step of the wizard
// (no serious or critical findings), and one whole import is driven with the
// keyboard alone, a visible focus ring on each stop.
import { audit, expectFocusRing, tabTo } from "./a11y";
import { csvFile, expect, loginForm, openWizard, test } from "./fixtures";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "./accounts";

test("every page and every wizard step passes axe with no serious or critical findings", async ({ page }) => {
  test.setTimeout(180_000); // some 20 audits, each a few seconds on a busy machine
  const p = `AX${Date.now()}`;
  await page.goto("/login");
  await loginForm(page);
  await audit(page, "the sign-in page");
  // a failed sign-in: the error shown
  const form = await loginForm(page);
  await form.getByLabel("Email").fill("nobody@example.org");
  await form.getByLabel("Password").fill("wrong password");
  await form.getByRole("button", { name: "Sign in" }).click();
  await expect(form.getByRole("alert")).toBeVisible();
  await audit(page, "the sign-in page with an error");

  await openWizard(page);
  await audit(page, "wizard: choose the file");
  await page.getByLabel("CSV file").setInputFiles(
    csvFile("audit.csv", ["Member No,Mail Address,Given,Joined", `${p}-1,${p}-1@example.org,Ann,x`, `${p}-2,not an email,Bob,y`, `${p}-3,${p}-3@example.org,Cy,z`]),
  );
  await expect(page.getByLabel("Mail Address", { exact: true })).toBeVisible();
  await audit(page, "wizard: match the columns (mapping incomplete)");
  await page.getByLabel("Mail Address", { exact: true }).selectOption("email");
  await expect(page.getByTestId("check-summary")).toContainText("3 rows checked");
  await page.getByText("Preview of the first rows").click();
  await audit(page, "wizard: check done, problems listed, preview open, start");
  await page.getByRole("button", { name: "Fix the rows with problems here" }).click();
  await expect(page.getByTestId("fix-status")).toContainText("0 of 1 row fixed.");
  await audit(page, "wizard: the rows with problems, to fix in place");
  // the inline forms of the mapping step
  await page.getByLabel("Joined", { exact: true }).selectOption("__new__");
  await expect(page.getByRole("group", { name: "New custom field for Joined" })).toBeVisible();
  await audit(page, "wizard: new custom field form");
  await page.getByRole("group", { name: "New custom field for Joined" }).getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("button", { name: "Save as…" }).click();
  const save = page.getByRole("form", { name: "Save this mapping as" });
  await save.getByRole("button", { name: "Save" }).click();
  await expect(save.getByRole("alert")).toBeVisible();
  await audit(page, "wizard: save-as form with an error");
  await save.getByLabel("Name").fill(`Audit ${p}`);
  await save.getByRole("button", { name: "Save" }).click();
  await page.getByRole("button", { name: `Delete “Audit ${p}”` }).click();
  await audit(page, "wizard: saved mapping chosen, delete asked");
  await page.getByRole("button", { name: "Delete it" }).click();
  await expect(page.getByTestId("saved-mapping-status")).toHaveText(`Deleted “Audit ${p}”. The columns keep their current choices.`);
  await page.getByRole("button", { name: "Save as…" }).click();
  await save.getByLabel("Name").fill(`Audit ${p} kept`);
  await save.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("saved-mapping-status")).toContainText("Saved as");

  // sending, then the import's page while it runs and once ready
  await page.route("**/imports/new/pieces", async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.getByRole("button", { name: "Preview changes" }).click();
  await expect(page.getByText(/^Sending \d/)).toBeVisible();
  await audit(page, "wizard: sending");
  await expect(page.getByTestId("preview-result")).toBeVisible({ timeout: 30_000 });
  await audit(page, "wizard: preview of the changes");
  await page.getByRole("button", { name: "Start import" }).click();
  await expect(page).toHaveURL(/\/imports\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  await audit(page, "the import's page (just started)");
  await expect(page.getByTestId("import-status")).toHaveText("Ready", { timeout: 30_000 });
  await expect(page.getByText("Download rejected rows")).toBeVisible();
  await audit(page, "the import's page, ready, with rejected rows");

  for (const [path, what] of [
    ["/imports", "the history"],
    ["/fields", "the fields"],
    ["/tokens", "the API tokens"],
    ["/mappings", "the saved mappings"],
  ] as const) {
    await page.goto(path);
    await expect(page.locator("h1")).toBeVisible();
    await audit(page, what);
  }
  const row = page.getByRole("row", { name: new RegExp(`Audit ${p} kept`) });
  await row.getByRole("button", { name: /^Rename/ }).click();
  await expect(row.getByRole("textbox", { name: "Name", exact: true })).toBeFocused();
  await audit(page, "the saved mappings, renaming one");
});

test("one whole import with the keyboard alone", async ({ page }) => {
  const p = `KB${Date.now()}`;
  await page.goto("/imports/new");
  await expect(page).toHaveURL(/\/login/);
  const form = await loginForm(page);
  // the email field has focus on arrival
  await expect(form.getByLabel("Email")).toBeFocused();
  await page.keyboard.type(ADMIN_EMAIL);
  await page.keyboard.press("Tab");
  await expect(form.getByLabel("Password")).toBeFocused();
  await page.keyboard.type(ADMIN_PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/imports\/new$/);
  await expect(page.locator('.wizard[data-hydrated="true"]')).toBeVisible();

  // The file: reached with Tab; Space opens the file dialog, which the test answers.
  const fileInput = page.getByLabel("CSV file");
  await tabTo(page, fileInput);
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.keyboard.press("Space")]);
  await chooser.setFiles(csvFile("keyboard.csv", ["Member No,Mail Address,Given", `${p}-1,${p}-1@example.org,Ann`, `${p}-2,${p}-2@example.org,Bob`]));

  // The mapping: "Mail Address" is not understood; choose Email with the arrow keys.
  const mail = page.getByLabel("Mail Address", { exact: true });
  await expect(mail).toHaveValue("skip");
  await tabTo(page, mail);
  for (let i = 0; i < 20 && (await mail.inputValue()) !== "email"; i++) await page.keyboard.press("ArrowDown");
  await expect(mail).toHaveValue("email");
  // Given → First name, further on.
  const given = page.getByLabel("Given", { exact: true });
  await tabTo(page, given);
  for (let i = 0; i < 20 && (await given.inputValue()) !== "first_name"; i++) await page.keyboard.press("ArrowDown");
  await expect(given).toHaveValue("first_name");
  await expect(page.getByTestId("check-summary")).toContainText("2 rows checked; no rows with problems.");
  // screen readers hear the check end once, not every count
  await expect(page.getByTestId("check-status")).toHaveText("Check finished: 2 rows, 0 with problems.");

  // Conflicts: arrow keys move between the radios; back to Reject.
  const reject = page.getByRole("radio", { name: /^Reject/ });
  const ignore = page.getByRole("radio", { name: /^Ignore/ });
  await tabTo(page, reject);
  await page.keyboard.press("ArrowDown");
  await expect(ignore).toBeChecked();
  await page.keyboard.press("ArrowUp");
  await expect(reject).toBeChecked();

  // Shift+Tab goes back to the mapping, Tab returns.
  await page.keyboard.press("Shift+Tab");
  await expectFocusRing(page);
  // Enter asks for the preview (the file is sent once, as a dry run), then starts the import.
  await tabTo(page, page.getByRole("button", { name: "Preview changes" }));
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("preview-result")).toBeVisible({ timeout: 30_000 });
  const start = page.getByRole("button", { name: "Start import" });
  await expect(start).toBeEnabled();
  await tabTo(page, start);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/imports\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  await expect(page.getByTestId("import-status")).toHaveText("Ready", { timeout: 30_000 });
  await expect(page.getByRole("status").filter({ hasText: "Ready" })).toBeVisible();
  await expect(page.locator(".counts div").filter({ has: page.getByText("Created", { exact: true }) }).locator("dd")).toHaveText("2");

  // The new page starts at its content (not where the Start button was):
  // Shift+Tab leads back to the navigation, Enter opens the history.
  await expect(page.locator("#content")).toBeFocused();
  await tabTo(page, page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Imports" }), { back: true });
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/imports$/);
  await expect(page.getByRole("table", { name: "Imports" })).toContainText("keyboard.csv");
  // a fresh page: the first Tab is the skip link, Enter moves on to the content
  await page.reload();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await expectFocusRing(page);
  await page.keyboard.press("Enter");
  await expect(page.locator("#content")).toBeFocused();
});
