// Column formats: a real branch export (UK dates, Y/N flags, £8 and 10,5, a
// mobile without its leading 0) goes in with no rejections once its formats
// are chosen; a column that cannot tell asks instead of guessing.
import { apiReader } from "./api-reader";
import { countOf, csvFile, expect, previewAndStart, test, wizardWithFields } from "./fixtures";

test("the branch export goes in with no rejections after its formats are chosen", async ({ page }) => {
  const p = `BR${Date.now()}`;
  const joined = `joined_${Date.now()}`;
  const dues = `dues_${Date.now()}`;
  await wizardWithFields(page, [["Joined", joined, "Date (YYYY-MM-DD)"], ["Dues", dues, "Number"]]);

  await page.getByLabel("CSV file").setInputFiles(
    csvFile("branch-export.csv", [
      `Member number,Forename,Surname,Mobile,SMS opt in,${joined},${dues}`,
      `${p}-1,Ann,Jones,7400123457,Y,15/01/2020,£8`,
      `${p}-2,Bob,Evans,07400123458,N,03/02/2019,"10,5"`,
      `${p}-3,Cat,Hughes,7400123459,Y,28/11/2021,£12`,
      `${p}-4,Dai,Price,,N,01/06/2018,"7,25"`,
      `${p}-5,Eve,Lewis,7400123460,,17/09/2022,`,
    ]),
  );
  await expect(page.getByLabel(joined, { exact: true })).toHaveValue(joined);
  // suggested from the whole column, shown beside its field
  await expect(page.getByLabel(`Format of ${joined}`)).toHaveValue(JSON.stringify({ kind: "date", order: "dmy" }));
  // £8, 10,5 and 7,25 each say how they are written: nothing to choose
  await expect(page.getByLabel(`Format of ${dues}`)).toHaveCount(0);
  await expect(page.getByLabel("Format of SMS opt in")).toHaveValue(JSON.stringify({ kind: "flag", yes: "y", no: "n" }));
  await expect(page.getByLabel("Format of Mobile")).toHaveValue(JSON.stringify({ kind: "phone", region: "GB" }));
  await expect(page.getByTestId("check-summary")).toContainText("5 rows checked; no rows with problems.");
  // the preview: as read → as sent, from the worker's own conversion
  await expect(page.getByRole("list", { name: `${joined}: values as read and as sent` })).toContainText("15/01/2020 → 2020-01-15");
  await expect(page.getByRole("list", { name: `${dues}: values as read and as sent` })).toContainText("10,5 → 10.5");
  await expect(page.getByRole("list", { name: `${dues}: values as read and as sent` })).toContainText("£8 → 8");
  await expect(page.getByRole("list", { name: "Mobile: values as read and as sent" })).toContainText("7400123457 → +447400123457");

  // a format the user changes is checked again: month-first rejects the three rows with a day over 12
  await page.getByLabel(`Format of ${joined}`).selectOption({ label: "MM/DD/YYYY (month first, as in the US)" });
  await expect(page.getByTestId("check-summary")).toContainText("3 have problems and will be rejected");
  await page.getByLabel(`Format of ${joined}`).selectOption({ label: "DD/MM/YYYY (day first, as in the UK)" });
  await expect(page.getByTestId("check-summary")).toContainText("no rows with problems");

  await previewAndStart(page, { confirm: true });
  await expect(countOf(page, "Created")).toHaveText("5");
  await expect(countOf(page, "Rejected")).toHaveText("0");

  // what was stored: the converted values, read back through the API
  const get = await apiReader(page, `formats ${p}`);
  expect(await get(`${p}-1`)).toMatchObject({ phone_number: "+447400123457", subscription_sms: true, [joined]: "2020-01-15", [dues]: 8 });
  expect(await get(`${p}-2`)).toMatchObject({ subscription_sms: false, [joined]: "2019-02-03", [dues]: 10.5 });
  expect(await get(`${p}-5`)).toMatchObject({ subscription_sms: null, [joined]: "2022-09-17", [dues]: null });
});

test("a column that cannot tell asks, and nothing is checked until it is answered", async ({ page }) => {
  const p = `AM${Date.now()}`;
  const since = `since_${Date.now()}`;
  await wizardWithFields(page, [["Since", since, "Date (YYYY-MM-DD)"]]);
  await page.getByLabel("CSV file").setInputFiles(
    csvFile("ambiguous.csv", [`external_id,${since},Email opt in`, `${p}-1,03/04/2020,Member`, `${p}-2,05/06/2021,Lapsed`]),
  );
  await page.getByLabel("Email opt in", { exact: true }).selectOption("subscription_email");
  const select = page.getByLabel(`Format of ${since}`);
  await expect(select).toHaveValue("");
  await expect(page.getByTestId(`format-${since}`)).toContainText("could be day/month or month/day");
  await expect(page.locator(".wizard").getByRole("alert")).toContainText(`Choose how to read the column “${since}”`);
  await expect(page.getByTestId("check-summary")).toHaveCount(0);
  await select.selectOption({ label: "MM/DD/YYYY (month first, as in the US)" });
  // then the flag column: which value means yes, asked beside it
  await expect(page.locator(".wizard").getByRole("alert")).toContainText("Choose how to read the column “Email opt in”");
  await expect(page.getByTestId("format-Email opt in")).toContainText("Which of “member” and “lapsed” means yes?");
  await page.getByLabel("Format of Email opt in").selectOption({ label: "“member” means yes, “lapsed” means no" });
  await expect(page.getByTestId("check-summary")).toContainText("2 rows checked; no rows with problems.");
  await expect(page.getByRole("list", { name: `${since}: values as read and as sent` })).toContainText("03/04/2020 → 2020-03-04");
  await expect(page.getByRole("list", { name: "Email opt in: values as read and as sent" })).toContainText("Lapsed → false");
});

test("a saved mapping keeps its columns' formats: choosing it answers the column's question again", async ({ page }) => {
  const p = `SF${Date.now()}`;
  const joined = `joined_${Date.now()}`;
  const renewed = `renewed_${Date.now()}`;
  // two columns, so the mapping restores more than one format at once
  const file = csvFile("us-dates.csv", [`Member number,${joined},${renewed}`, `${p}-1,03/04/2020,01/02/2022`, `${p}-2,05/06/2021,07/08/2023`]);
  const format = () => page.getByLabel(`Format of ${joined}`);
  const format2 = () => page.getByLabel(`Format of ${renewed}`);
  const US = JSON.stringify({ kind: "date", order: "mdy" });

  await wizardWithFields(page, [["Joined", joined, "Date (YYYY-MM-DD)"], ["Renewed", renewed, "Date (YYYY-MM-DD)"]]);
  await page.getByLabel("CSV file").setInputFiles(file);
  // every day is 12 or less: the column cannot tell, so it asks
  await expect(format()).toHaveValue("");
  await format().selectOption({ label: "MM/DD/YYYY (month first, as in the US)" });
  await format2().selectOption({ label: "MM/DD/YYYY (month first, as in the US)" });
  await page.getByRole("button", { name: "Save as…" }).click();
  const saveForm = page.getByRole("form", { name: "Save this mapping as" });
  await saveForm.getByLabel("Name").fill(`US dates ${p}`);
  await saveForm.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("saved-mapping-status")).toContainText(`Saved as “US dates ${p}”`);

  // the same file again: the question is asked again until the saved mapping is chosen
  await page.goto("/imports/new");
  await expect(page.locator('.wizard[data-hydrated="true"]')).toBeVisible();
  await page.getByLabel("CSV file").setInputFiles(file);
  await expect(format()).toHaveValue("");
  await expect(format2()).toHaveValue("");
  const select = page.getByLabel("Use a saved mapping");
  await select.selectOption((await select.locator("option", { hasText: `US dates ${p}` }).getAttribute("value"))!);
  await expect(format()).toHaveValue(US);
  await expect(format2()).toHaveValue(US);
  await expect(page.getByRole("list", { name: `${joined}: values as read and as sent` })).toContainText("03/04/2020 → 2020-03-04");
  await expect(page.getByTestId("check-summary")).toContainText("2 rows checked; no rows with problems.");
});

test("a date that is not real is reported in the order chosen, in the check and in the fix grid", async ({ page }) => {
  const p = `DW${Date.now()}`;
  const joined = `joined_${Date.now()}`;
  await wizardWithFields(page, [["Joined", joined, "Date (YYYY-MM-DD)"]]);
  await page.getByLabel("CSV file").setInputFiles(csvFile("uk-dates.csv", [`external_id,${joined}`, `${p}-1,15/01/2020`, `${p}-2,31/02/2020`]));
  await expect(page.getByLabel(`Format of ${joined}`)).toHaveValue(JSON.stringify({ kind: "date", order: "dmy" }));
  const summary = page.getByTestId("check-summary");
  await expect(summary).toContainText(`Row 2 (${p}-2): "31/02/2020" is not a real date (DD/MM/YYYY)`);
  await expect(summary).not.toContainText("YYYY-MM-DD");
  await page.getByRole("button", { name: "Fix the rows with problems here" }).click();
  await expect(page.getByTestId("fix-row-2")).toContainText('"31/02/2020" is not a real date (DD/MM/YYYY)');
  await expect(page.getByTestId("fix-row-2")).not.toContainText("YYYY-MM-DD");
});

test("numbers that say their own decimal mark are read without asking; 1,234 is asked about once, and the answer reads only it", async ({ page }) => {
  const p = `NM${Date.now()}`;
  const dues = `dues_${Date.now()}`;
  await wizardWithFields(page, [["Dues", dues, "Number"]]);
  const values = ["12.50", "£8", '"10,5"'];
  const rows = (extra: string[]) => [`external_id,${dues}`, ...[...values, ...extra].map((v, i) => `${p}-${i + 1},${v}`)];
  const conversions = () => page.getByRole("list", { name: `${dues}: values as read and as sent` });

  // each value is unambiguous on its own: no question, nothing to choose
  await page.getByLabel("CSV file").setInputFiles(csvFile("dues.csv", rows([])));
  await expect(page.getByTestId("check-summary")).toContainText("3 rows checked; no rows with problems.");
  await expect(page.getByLabel(`Format of ${dues}`)).toHaveCount(0);
  await expect(page.getByTestId(`format-${dues}`)).not.toContainText("decimal");
  await expect(conversions()).toContainText("10,5 → 10.5");
  await expect(conversions()).toContainText("£8 → 8");

  // 1,234 reads two ways (and the column uses both marks): asked, once, in the singular
  await page.getByLabel("CSV file").setInputFiles(csvFile("dues-2.csv", rows(['"1,234"'])));
  const question = "“1,234” can be read two ways: 1234 or 1.234. Choose the decimal mark.";
  await expect(page.getByTestId(`format-${dues}`)).toContainText(question);
  await expect(page.getByText(question)).toHaveCount(1);
  await expect(page.locator(".wizard")).not.toContainText("rows)");
  await expect(page.getByTestId("check-summary")).toHaveCount(0);
  await page.getByLabel(`Format of ${dues}`).selectOption({ label: "decimal comma: “1,234” is 1.234" });
  await expect(page.getByTestId("check-summary")).toContainText("4 rows checked; no rows with problems.");
  await expect(conversions()).toContainText("1,234 → 1.234");
  await expect(conversions()).toContainText("12.50 → sent as written"); // not re-read by the decimal comma

  await previewAndStart(page, { confirm: true });
  const get = await apiReader(page, `numbers ${p}`);
  const stored = await Promise.all([1, 2, 3, 4].map(async (i) => (await get(`${p}-${i}`))[dues]));
  expect(stored).toEqual([12.5, 8, 10.5, 1.234]);
});
