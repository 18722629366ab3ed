// The members list (/members): five members imported through the wizard,
// then found as a user would, by typing, filtering, sorting and paging, with
// the keyboard alone and under axe. Each test lists only its own import's
// members (?import=<id>), so the other specs' members never get in the way.
import type { Page } from "@playwright/test";
import { audit, tabTo } from "./a11y";
import { csvFile, expect, importFile, openMembers, openWizard, test, wizardWithFields } from "./fixtures";

/** Imports five members (unique to `p`) and answers the import's id and the first member's phone as dialled. */
async function importMembers(page: Page, p: string): Promise<{ importId: string; phone: string }> {
  // a number of this run: another spec's member with the same one would make row 1 a conflict
  const phone = `0740${String(Date.now()).slice(-7)}`;
  await openWizard(page);
  const importId = await importFile(
    page,
    csvFile("members-list.csv", [
      "external_id,first_name,last_name,email,phone_number,subscription_email",
      `${p}-1,Siân,Evans,${p}-1@example.org,${phone},yes`,
      `${p}-2,Ann,Simms,${p}-2@example.org,,no`,
      `${p}-3,Bob,Zeller,${p}-3@example.org,,yes`,
      `${p}-4,Cy,Adams,${p}-4@example.org,,`,
      `${p}-5,Dee,Carter,${p}-5@example.org,,yes`,
    ]),
    5,
  );
  return { importId, phone };
}

const memberNumbers = (page: Page) => page.getByRole("table", { name: "Members" }).locator("tbody tr td:first-child");

test("type to search (accents and phone formats aside), filter by a flag, sort by name, page by cursor; the address keeps it", async ({ page }) => {
  const p = `MB${Date.now()}`;
  const { importId, phone } = await importMembers(page, p);
  await openMembers(page, `import=${importId}`);
  await expect(page.locator(".chip")).toContainText("Changed by import members-list.csv");
  await expect(page.getByTestId("member-count")).toHaveText("5 members");
  const search = page.getByLabel("Search members");

  // "si" finds Siân and Simms; its answer, held back, would come after "sian"'s: the page drops the request instead
  let released!: () => void;
  const held = new Promise<void>((resolve) => (released = resolve));
  await page.route(
    (url) => url.pathname === "/members.json" && url.searchParams.get("q") === "si",
    async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue().catch(() => {}); // the page has aborted it meanwhile
      released();
    },
  );
  const aborted = page.waitForEvent("requestfailed", { predicate: (r) => new URL(r.url()).searchParams.get("q") === "si", timeout: 10_000 });
  await search.pressSequentially("si");
  // while it waits, the last list stays on screen, marked busy, rather than a blank
  await expect(page.getByRole("table", { name: "Members" }).locator("tbody")).toHaveAttribute("aria-busy", "true");
  await search.pressSequentially("an");
  await expect(memberNumbers(page)).toHaveText([`${p}-1`]);
  expect((await aborted).failure()?.errorText).toContain("ABORTED");
  await held;
  await expect(memberNumbers(page)).toHaveText([`${p}-1`]);
  await expect(page.getByTestId("member-count")).toHaveText("1 member");
  await expect(page).toHaveURL(new RegExp(`/members\\?q=sian&import=${importId}$`));

  // the same phone number written another way
  const international = `+44 ${phone.slice(1, 5)} ${phone.slice(5)}`;
  await search.fill(international);
  await expect(memberNumbers(page)).toHaveText([`${p}-1`]);
  await search.fill("");
  await expect(page.getByTestId("member-count")).toHaveText("5 members");

  // a flag filter narrows the list
  await page.locator("summary", { hasText: "Filters" }).click();
  await page.getByLabel("Subscribed: email").selectOption("yes");
  await expect(memberNumbers(page)).toHaveText([`${p}-1`, `${p}-3`, `${p}-5`]);
  await expect(page.getByTestId("member-count")).toHaveText("3 members");
  await expect(page.getByRole("link", { name: "Export these members" })).toHaveAttribute("href", `/members.csv?email=yes&import=${importId}`);
  await page.getByLabel("Subscribed: email").selectOption("unknown");
  await expect(memberNumbers(page)).toHaveText([`${p}-4`]);
  await page.getByLabel("Subscribed: email").selectOption("");

  // sort by name (last name first), then the other way
  const nameHeader = page.getByRole("columnheader", { name: "Name" });
  await nameHeader.getByRole("button").click();
  await expect(memberNumbers(page)).toHaveText([4, 5, 1, 2, 3].map((i) => `${p}-${i}`));
  await expect(nameHeader).toHaveAttribute("aria-sort", "ascending");
  await nameHeader.getByRole("button").click();
  await expect(memberNumbers(page)).toHaveText([3, 2, 1, 5, 4].map((i) => `${p}-${i}`));
  await expect(nameHeader).toHaveAttribute("aria-sort", "descending");
  await expect(page).toHaveURL(new RegExp(`/members\\?import=${importId}&sort=name&dir=desc$`));
  // a reload shows the same list
  await page.reload();
  await expect(memberNumbers(page)).toHaveText([3, 2, 1, 5, 4].map((i) => `${p}-${i}`));

  // two a page: next, next (the last), previous, previous
  await openMembers(page, `import=${importId}&limit=2`);
  const next = page.getByRole("button", { name: "Next page" });
  const previous = page.getByRole("button", { name: "Previous page" });
  await expect(memberNumbers(page)).toHaveText([`${p}-1`, `${p}-2`]);
  await expect(previous).toHaveAttribute("aria-disabled", "true");
  await next.click();
  await expect(memberNumbers(page)).toHaveText([`${p}-3`, `${p}-4`]);
  await expect(page.getByTestId("member-count")).toHaveText("5 members, page 2");
  await next.click();
  await expect(memberNumbers(page)).toHaveText([`${p}-5`]);
  await expect(next).toHaveAttribute("aria-disabled", "true");
  await previous.click();
  await expect(memberNumbers(page)).toHaveText([`${p}-3`, `${p}-4`]);
  await previous.click();
  await expect(memberNumbers(page)).toHaveText([`${p}-1`, `${p}-2`]);
  await expect(previous).toHaveAttribute("aria-disabled", "true");

  // the import filter is removed as a chip
  await page.getByRole("button", { name: "Remove this filter" }).click();
  await expect(page.locator(".chip")).toHaveCount(0);
  await expect(page).toHaveURL(/\/members\?limit=2$/);
});

test("a custom field filters the list: a text field by its value, a number and a date by a range", async ({ page }) => {
  const n = Date.now();
  const p = `MC${n}`;
  const [branch, dues, joined] = [`branch_${n}`, `dues_${n}`, `joined_${n}`];
  await wizardWithFields(page, [[`Branch ${n}`, branch], [`Dues ${n}`, dues, "Number"], [`Joined ${n}`, joined, "Date (YYYY-MM-DD)"]]);
  const importId = await importFile(
    page,
    csvFile("custom.csv", [`external_id,${branch},${dues},${joined}`, `${p}-1,North,5,2020-01-15`, `${p}-2,South,12.5,2021-06-01`, `${p}-3,North,20,2022-03-10`]),
    3,
    { confirm: true },
  );
  await openMembers(page, `import=${importId}`);
  const ids = (...i: number[]) => i.map((k) => `${p}-${k}`);

  await page.locator("summary", { hasText: "Filters" }).click();
  await page.getByLabel("Custom field").selectOption({ label: `Branch ${n}` });
  await page.getByLabel(`Branch ${n} is`).fill("North");
  await expect(memberNumbers(page)).toHaveText(ids(1, 3));
  // another field starts empty: every member until a range is given
  await page.getByLabel("Custom field").selectOption({ label: `Dues ${n}` });
  await expect(memberNumbers(page)).toHaveText(ids(1, 2, 3));
  await page.getByLabel(`Dues ${n} from`).fill("10");
  await expect(memberNumbers(page)).toHaveText(ids(2, 3));
  await page.getByLabel(`Dues ${n} to`).fill("15");
  await expect(memberNumbers(page)).toHaveText(ids(2));
  await page.getByLabel("Custom field").selectOption({ label: `Joined ${n}` });
  await page.getByLabel(`Joined ${n} from`).fill("2021-01-01");
  await expect(memberNumbers(page)).toHaveText(ids(2, 3));
  await expect(page).toHaveURL(new RegExp(`[?&]field=${joined}&min=2021-01-01&`));
  // a reload: the filter open, as it was
  await page.reload();
  await expect(page.getByLabel(`Joined ${n} from`)).toHaveValue("2021-01-01");
  await expect(memberNumbers(page)).toHaveText(ids(2, 3));
});

test("the list is for staff only; an erase is reported on arrival", async ({ page, request }) => {
  const signedOut = await request.get("/members.json", { maxRedirects: 0 });
  expect(signedOut.status()).toBe(307);
  expect(signedOut.headers().location).toMatch(/\/login\?next=/);
  await openWizard(page);
  await openMembers(page, "erased=GONE-1");
  await expect(page.getByText("Member GONE-1 was erased.")).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Members" })).toHaveAttribute("aria-current", "page");
  // a search the list refuses is said, not a blank page
  await openMembers(page, "import=no-such-import");
  await expect(page.locator(".members").getByRole("alert")).toHaveText("There is no import no-such-import");
});

test("with the keyboard alone: Tab to the search, type, results within a second, Tab to a member, Enter opens it; axe finds nothing serious", async ({ page }) => {
  const p = `MK${Date.now()}`;
  const { importId } = await importMembers(page, p);
  await openMembers(page, `import=${importId}`);
  const search = page.getByLabel("Search members");
  await tabTo(page, search);

  // from the last keystroke to the list showing the one member it finds (the keystrokes before find all five)
  await page.keyboard.type(`${p}-3`);
  const typed = Date.now();
  await page.waitForFunction(
    (id) => [...document.querySelectorAll('table[aria-label="Members"] tbody tr')].map((tr) => tr.querySelector("td")?.textContent).join() === id,
    `${p}-3`,
    { polling: "raf", timeout: 10_000 },
  );
  expect(Date.now() - typed).toBeLessThan(1000);
  await expect(page.getByTestId("member-count")).toHaveText("1 member");
  await expect(search).toBeFocused(); // the result did not take the focus

  await page.locator("summary", { hasText: "Filters" }).click();
  await audit(page, "the members list, filters open");

  await search.focus();
  const member = page.getByRole("link", { name: `${p}-3` });
  await tabTo(page, member);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/members/${p}-3$`));
  // back: the search as it was left
  await page.goBack();
  await expect(search).toHaveValue(`${p}-3`);
  await expect(memberNumbers(page)).toHaveText([`${p}-3`]);
});
