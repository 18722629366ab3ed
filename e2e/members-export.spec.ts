// The members export in a browser: "Export these members" on /members
// downloads the members the list finds as a CSV (UTF-8 with a BOM, the
// upsert's column names then every custom field by slug), and that file,
// uploaded back through the wizard with the columns it matches by itself,
// changes nothing. Each test exports only its own import's members
// (?import=<id>), so the other specs' members never get in the way.
import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { STAFF_EMAIL, STAFF_PASSWORD } from "./accounts";
import { countOf, createField, createUser, csvFile, expect, importFile, openMembers, openWizard, pageAs, previewAndStart, test } from "./fixtures";

const BUILTIN_COLUMNS = [
  "external_id",
  "first_name",
  "last_name",
  "email",
  "phone_number",
  "subscription_email",
  "subscription_sms",
  "subscription_phone",
  "subscription_whatsapp",
];

/** Clicks "Export these members": the file the browser saves, its name and bytes. */
async function exportMembers(page: Page): Promise<{ name: string; buffer: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export these members" }).click()]);
  return { name: download.suggestedFilename(), buffer: readFileSync(await download.path()) };
}

/** The file's header and rows; none of these tests' values holds a comma, a quote or a line break. */
function rowsOf(buffer: Buffer): { header: string[]; rows: string[][] } {
  const lines = buffer.toString("utf8").replace(/^\uFEFF/, "").split("\r\n");
  expect(lines.pop()).toBe(""); // the last line ends with CRLF too
  const [header, ...rows] = lines.map((l) => l.split(","));
  return { header, rows };
}

test("a staff user exports an import's members and uploads the file back unchanged: nothing changes", async ({ page, browser, baseURL }) => {
  test.setTimeout(120_000); // three imports through the wizard, by two users
  createUser(STAFF_EMAIL, STAFF_PASSWORD, "staff");
  const n = Date.now();
  const p = `MX${n}`;
  const [branch, dues, joined] = [`xbranch_${n}`, `xdues_${n}`, `xjoined_${n}`];
  // a number of this run: another spec's member with the same one would make a conflict
  const phone = `7412${String(n).slice(-6)}`;

  // only admins add custom fields
  await openWizard(page);
  await createField(page, `Branch ${n}`, branch);
  await createField(page, `Dues ${n}`, dues, "Number");
  await createField(page, `Joined ${n}`, joined, "Date (YYYY-MM-DD)");

  const staff = await pageAs(browser, baseURL, "/imports/new", STAFF_EMAIL, STAFF_PASSWORD);
  const importId = await importFile(
    staff,
    csvFile("members-export.csv", [
      `external_id,first_name,last_name,email,phone_number,subscription_email,subscription_sms,${branch},${dues},${joined}`,
      `${p}-1,Siân,Evans,${p}-1@example.org,+44 ${phone.slice(0, 4)} ${phone.slice(4)},yes,no,North,12.5,2021-06-01`,
      `007${n},Łukasz,Nowak,${p}-2@example.org,,no,,000123,7,1999-12-31`,
      `${p}-3,=SUM(A1:A2),,,,,,,,`,
      `${p}-4,Ann,O'Neill,${p}-4@example.org,,yes,yes,Łódź,0.25,`,
    ]),
    4,
    { confirm: true },
  );
  await expect(countOf(staff, "Created")).toHaveText("4");

  await openMembers(staff, `import=${importId}`);
  await expect(staff.getByTestId("member-count")).toHaveText("4 members");
  const file = await exportMembers(staff);
  expect(file.name).toMatch(/^members-\d{4}-\d{2}-\d{2}\.csv$/);
  expect([...file.buffer.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM: spreadsheets then read Siân as UTF-8
  const { header, rows } = rowsOf(file.buffer);
  // the upsert's columns, then every custom field by slug (other specs' too), in slug order
  expect(header.slice(0, BUILTIN_COLUMNS.length)).toEqual(BUILTIN_COLUMNS);
  const slugs = header.slice(BUILTIN_COLUMNS.length);
  expect(slugs).toEqual([...slugs].sort());
  expect(slugs.filter((s) => s.endsWith(`_${n}`))).toEqual([branch, dues, joined]);

  // each member as stored (emails lower-cased, the phone in E.164), in member number order; empty cells for what was never set
  const mail = (i: number) => `${p.toLowerCase()}-${i}@example.org`;
  const stored: Record<string, string>[] = [
    { external_id: `007${n}`, first_name: "Łukasz", last_name: "Nowak", email: mail(2), subscription_email: "false", [branch]: "000123", [dues]: "7", [joined]: "1999-12-31" },
    { external_id: `${p}-1`, first_name: "Siân", last_name: "Evans", email: mail(1), phone_number: `+44${phone}`, subscription_email: "true", subscription_sms: "false", [branch]: "North", [dues]: "12.5", [joined]: "2021-06-01" },
    { external_id: `${p}-3`, first_name: "'=SUM(A1:A2)" }, // a formula a spreadsheet would run, neutralised
    { external_id: `${p}-4`, first_name: "Ann", last_name: "O'Neill", email: mail(4), subscription_email: "true", subscription_sms: "true", [branch]: "Łódź", [dues]: "0.25" },
  ];
  expect(rows).toEqual(stored.map((m) => header.map((column) => m[column] ?? "")));

  // the downloaded file, back through the wizard with the columns it matches by itself
  await staff.goto("/imports/new");
  await expect(staff.locator('.wizard[data-hydrated="true"]')).toBeVisible();
  await staff.getByLabel("CSV file").setInputFiles({ name: file.name, mimeType: "text/csv", buffer: file.buffer });
  await expect(staff.getByTestId("check-summary")).toContainText("4 rows checked; no rows with problems.");
  for (const column of header) await expect(staff.getByLabel(column, { exact: true })).toHaveValue(column);
  await previewAndStart(staff);
  await expect(countOf(staff, "Created")).toHaveText("0");
  await expect(countOf(staff, "Updated")).toHaveText("0");
  await expect(countOf(staff, "Rejected")).toHaveText("0");
  await expect(countOf(staff, "Unchanged")).toHaveText("4");
  await staff.context().close();
});

test("the export holds only the members the search and filters find", async ({ page }) => {
  const p = `MY${Date.now()}`;
  await openWizard(page);
  const importId = await importFile(
    page,
    csvFile("members-filtered.csv", [
      "external_id,first_name,email,subscription_email",
      `${p}-1,Siân,${p}-1@example.org,yes`,
      `${p}-2,Sian,${p}-2@example.org,no`,
      `${p}-3,Bob,${p}-3@example.org,`,
      `${p}-4,Cy,${p}-4@example.org,yes`,
    ]),
    4,
  );
  await openMembers(page, `import=${importId}`);
  const exported = async () => rowsOf((await exportMembers(page)).buffer).rows.map((r) => r[0]);
  expect(await exported()).toEqual([1, 2, 3, 4].map((i) => `${p}-${i}`));

  await page.locator("summary", { hasText: "Filters" }).click();
  await page.getByLabel("Subscribed: email").selectOption("yes");
  await expect(page.getByTestId("member-count")).toHaveText("2 members");
  expect(await exported()).toEqual([`${p}-1`, `${p}-4`]);

  // a search narrows it further: "sian" finds Siân (and Sian, who is not subscribed)
  await page.getByLabel("Search members").fill("sian");
  await expect(page.getByTestId("member-count")).toHaveText("1 member");
  expect(await exported()).toEqual([`${p}-1`]);
});
