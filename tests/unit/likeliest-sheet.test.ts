// An .xlsx opens on the sheet that looks like the member table, not on a
// one-cell "Readme" or a summary that happens to come first.
import { describe, expect, it } from "vitest";
import { likeliestSheet, SHEET_HEAD_ROWS } from "@/lib/upload/likeliest-sheet";
import { XLSX_LIMITS, xlsxSheetHeads } from "@/lib/xlsx/read-xlsx";
import { makeXlsx } from "../support/make-xlsx";

const members = { name: "Members", rows: [["Member number", "Forename", "Email"], [1, "Ann", "ann@example.org"], [2, "Bob", "bob@example.org"]] };
const openOn = (book: Uint8Array) => likeliestSheet(xlsxSheetHeads(book, SHEET_HEAD_ROWS));

describe("the sheet a workbook opens on", () => {
  it("passes over a one-cell Readme and a summary before the member table", () => {
    expect(openOn(makeXlsx([{ name: "Readme", rows: [["Exported from the branch system"]] }, members]))).toBe("Members");
    const summary = { name: "Summary", rows: [["Report"], ["Branch members, November"], ["Total", 2]] };
    expect(openOn(makeXlsx([summary, { name: "Readme", rows: [["See the notes"]] }, members]))).toBe("Members");
  });

  it("prefers a header naming known fields over a larger sheet of other things", () => {
    const notes = { name: "Notes", rows: Array.from({ length: 30 }, (_, i) => [`note ${i}`, "text", "more text", "even more"]) };
    expect(openOn(makeXlsx([notes, members]))).toBe("Members");
  });

  it("without known headers, takes the fullest sheet; on a tie, the first", () => {
    const small = { name: "Small", rows: [["a", "b"], ["1", "2"]] };
    const big = { name: "Big", rows: [["a", "b", "c"], ["1", "2", "3"], ["4", "5", "6"]] };
    expect(openOn(makeXlsx([small, big]))).toBe("Big");
    expect(openOn(makeXlsx([members, { ...members, name: "Copy" }]))).toBe("Members");
  });

  it("reads only the first rows of each sheet, and a sheet too wide to read does not stop the choice", () => {
    const long = { name: "Long", rows: Array.from({ length: 500 }, (_, i) => [`row ${i}`]) };
    const heads = xlsxSheetHeads(makeXlsx([long, members]), 5);
    expect(heads.map((h) => [h.name, h.rows.length])).toEqual([["Long", 5], ["Members", 3]]);
    const wide = { name: "Wide", rows: [Array.from({ length: 20 }, (_, i) => `c${i}`)] };
    const narrow = { ...XLSX_LIMITS, maxColumns: 10 };
    expect(likeliestSheet(xlsxSheetHeads(makeXlsx([wide, members]), SHEET_HEAD_ROWS, narrow))).toBe("Members");
  });
});
