// A member's page: each field as stored, which import set it (the history,
// linked both ways with the imports' pages), an axe audit; "Erase this
// member" for admins (then no page, and the API finds nothing), and neither
// the button nor the action for staff.
import type { Page } from "@playwright/test";
import { audit } from "./a11y";
import { STAFF_EMAIL, STAFF_PASSWORD } from "./accounts";
import { newApiToken } from "./api-reader";
import { createUser, csvFile, expect, importFile, nextAction, openWizard, pageAs, replayAction, test } from "./fixtures";

/** Uploads a CSV through the wizard and starts it; the import's id once it is ready. */
const upload = (page: Page, name: string, lines: string[], confirm = false) => importFile(page, csvFile(name, lines), lines.length - 1, { confirm });

const memberPath = (id: string) => `/members/${encodeURIComponent(id)}`;

test("a member's page shows each field and which import set it, linked both ways, and passes axe", async ({ page }) => {
  const p = `mp${Date.now()}`;
  await openWizard(page);
  const first = await upload(page, `${p}-a.csv`, [
    "external_id,first_name,email",
    `${p}-1,Ann,${p}.ann@example.org`,
    `${p}-2,Bob,${p}.bob@example.org`,
    `${p} é/4,Dee,`, // an id a URL must escape
  ]);
  // Ann's first name changes; a third row takes Bob's email: a conflict, rejected
  const second = await upload(page, `${p}-b.csv`, ["external_id,first_name,email", `${p}-1,Annie,${p}.ann@example.org`, `${p}-3,Cy,${p}.bob@example.org`], true);

  // the import's page: its members, and the member a problem row conflicts with
  await expect(page.getByRole("link", { name: "Members changed by this import" })).toHaveAttribute("href", `/members?import=${second}`);
  const problems = page.getByRole("table", { name: "Problems" });
  await expect(problems.getByRole("link", { name: `${p}-2` })).toHaveAttribute("href", memberPath(`${p}-2`));

  await page.goto(memberPath(`${p} é/4`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dee");
  await expect(page.getByTestId("member-external_id")).toHaveText(`${p} é/4`);

  await page.goto(memberPath(`${p}-1`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Annie");
  await expect(page.getByTestId("member-first_name")).toHaveText("Annie");
  await expect(page.getByTestId("member-email")).toHaveText(`${p}.ann@example.org`);
  await expect(page.getByTestId("member-subscription_email")).toHaveText("Not known");
  const entries = page.getByTestId("history-entry");
  await expect(entries).toHaveCount(2);
  // newest first: the second upload changed the first name, from Ann to Annie
  await expect(entries.nth(0).getByRole("link", { name: `${p}-b.csv` })).toHaveAttribute("href", `/imports/${second}`);
  await expect(entries.nth(0).getByRole("table")).toContainText("First nameAnnAnnie");
  await expect(entries.nth(0).getByRole("table")).not.toContainText("Email");
  // the first upload created the member with its first name and email
  await expect(entries.nth(1).getByRole("heading")).toContainText("Created");
  await expect(entries.nth(1).getByRole("link", { name: `${p}-a.csv` })).toHaveAttribute("href", `/imports/${first}`);
  await expect(entries.nth(1).getByRole("table")).toContainText("First name(empty)Ann");
  await expect(entries.nth(1).getByRole("table")).toContainText(`Email(empty)${p}.ann@example.org`);
  await expect(entries.nth(0)).toContainText("admin@e2e.example.org");
  await expect(page.getByTestId("history-older-not-kept")).toHaveCount(0);

  await audit(page, "the member's page");

  await entries.nth(0).getByRole("link", { name: `${p}-b.csv` }).click();
  await expect(page).toHaveURL(new RegExp(`/imports/${second}$`));
});

test("an admin erases a member: no page, no API result; staff see no erase button and the action refuses them", async ({ page, browser, baseURL }) => {
  createUser(STAFF_EMAIL, STAFF_PASSWORD, "staff");
  const p = `me${Date.now()}`;
  await openWizard(page);
  await upload(page, `${p}.csv`, ["external_id,first_name", `${p}-1,Gone`, `${p}-2,Kept`]);
  const token = await newApiToken(page, `Members page ${p}`);
  const found = async (q: string) => {
    const r = await page.request.get(`/api/targets?q=${encodeURIComponent(q)}`, { headers: { authorization: `Bearer ${token}` } });
    expect(r.status()).toBe(200);
    return ((await r.json()).targets as { external_id: string }[]).map((t) => t.external_id);
  };
  expect(await found(`${p}-1`)).toEqual([`${p}-1`]);

  await page.goto(memberPath(`${p}-1`));
  await page.getByRole("button", { name: "Erase this member…" }).click();
  const confirm = page.getByRole("group", { name: `Erasing ${p}-1 removes, for good:` });
  await expect(confirm).toContainText("the member and every value stored for them");
  await expect(confirm).toContainText("the values kept to undo the import that changed them");
  await expect(confirm).toContainText("their rows in finished imports");
  const call = nextAction(page);
  await confirm.getByRole("button", { name: "Confirm: erase this member" }).click();
  const erase = await call;
  await expect(page).toHaveURL(new RegExp(`/members\\?erased=${p}-1$`));
  expect((await page.goto(memberPath(`${p}-1`)))!.status()).toBe(404);
  expect(await found(`${p}-1`)).toEqual([]);
  expect(await found(`${p}-2`)).toEqual([`${p}-2`]);

  // staff: the member's page without the button; the admin's call, replayed, is refused
  const staffPage = await pageAs(browser, baseURL, memberPath(`${p}-2`), STAFF_EMAIL, STAFF_PASSWORD);
  await expect(staffPage.getByRole("heading", { level: 1 })).toHaveText("Kept");
  await expect(staffPage.getByRole("heading", { name: "History" })).toBeVisible();
  await expect(staffPage.getByRole("button", { name: /Erase/ })).toHaveCount(0);
  expect(await replayAction(staffPage, erase, erase.postData()!.replace(`${p}-1`, `${p}-2`))).toContain('"code":"forbidden"');
  expect(await found(`${p}-2`)).toEqual([`${p}-2`]);
  await staffPage.context().close();
});
