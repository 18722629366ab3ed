// A value a column's format cannot read is reported in the terms the user
// chose (DD/MM/YYYY, Y/N, a region), not in the contract's (YYYY-MM-DD), in
// the whole-file check and in the fix grid alike.
import { describe, expect, it } from "vitest";
import type { ColumnFormat } from "@/lib/formats/column-format";
import { dateProblem } from "@/lib/formats/dates";
import { unreadReason } from "@/lib/formats/unread";
import { RowChecker } from "@/lib/upload/check-rows";
import { FixSession } from "@/lib/upload/fix-session";
import { NO_EDITS } from "@/lib/upload/row-edits";
import { rowConverter } from "@/lib/formats/convert";

const DMY: ColumnFormat = { kind: "date", order: "dmy" };

describe("dateProblem", () => {
  it("names the order chosen, whether the day is not real or the value not written that way", () => {
    expect(dateProblem("31/02/2020", "dmy")).toBe('"31/02/2020" is not a real date (DD/MM/YYYY)');
    expect(dateProblem("02/31/2020", "mdy")).toBe('"02/31/2020" is not a real date (MM/DD/YYYY)');
    expect(dateProblem("2020-01-15", "dmy")).toBe('"2020-01-15" is not a date written DD/MM/YYYY');
    expect(dateProblem("15/01/20", "dmy")).toBe('"15/01/20" is not a date written DD/MM/YYYY');
    expect(dateProblem("60", "excel")).toBe('"60" is not a real date (Excel day number)');
    expect(dateProblem("soon", "excel")).toBe('"soon" is not an Excel day number');
    expect(dateProblem("29/02/2020", "dmy")).toBeNull();
  });
});

describe("unreadReason", () => {
  it("words flags and phone regions as chosen; leaves blanks, numbers and values read alone", () => {
    expect(unreadReason({ kind: "flag", yes: "y", no: "n" }, "maybe", "GB")).toBe("\"maybe\" is neither “y” (yes) nor “n” (no)");
    expect(unreadReason({ kind: "flag", yes: "✓", no: "" }, "x", "GB")).toBe("\"x\" is neither “✓” (yes) nor blank (no)");
    expect(unreadReason({ kind: "flag", yes: "y", no: "n" }, "Y", "GB")).toBeNull();
    expect(unreadReason({ kind: "phone", region: "IE" }, "0123", "GB")).toBe('"0123" is not a valid phone number in IE');
    expect(unreadReason({ kind: "phone", region: "IE" }, "+447400123457", "GB")).toBeNull();
    expect(unreadReason(DMY, "  ", "GB")).toBeNull();
    expect(unreadReason({ kind: "number", decimal: "." }, "ten", "GB")).toBeNull();
  });
});

const columns = { mapping: ["external_id", "joined", "subscription_sms"], formats: [null, DMY, { kind: "flag", yes: "y", no: "n" } as ColumnFormat], phoneRegion: "GB" };
const catalog = new Map([["joined", "date" as const]]);
/** A row of cells as converted, as the record the check reads. */
const recordOf = (cells: string[]) => Object.fromEntries(columns.mapping.map((f, i) => [f, cells[i]]));

describe("the wizard's check", () => {
  it("reports 31/02/2020 under DD/MM/YYYY as not a real date in that order, not as YYYY-MM-DD", () => {
    const checker = new RowChecker({ catalog, phoneRegion: "GB", columns });
    const convert = rowConverter(columns.formats, "GB");
    const rows = [
      ["M1", "31/02/2020", "y"],
      ["M2", "15/01/2020", "maybe"],
      ["M3", "next week", ""],
      ["M4", "2020-01-15", ""], // not DD/MM/YYYY, but what the server reads: no problem
    ];
    rows.forEach((row, i) => checker.add(i + 1, recordOf(convert(row)), row));
    const messages = checker.summary().problems.flatMap((p) => p.examples.map((e) => e.message));
    expect(messages).toEqual([
      '"31/02/2020" is not a real date (DD/MM/YYYY)',
      '"next week" is not a date written DD/MM/YYYY',
      "\"maybe\" is neither “y” (yes) nor “n” (no)",
    ]);
    expect(messages.join("\n")).not.toContain("YYYY-MM-DD (");
  });

  it("keeps the server's message for a value its format read", () => {
    const checker = new RowChecker({ catalog, phoneRegion: "GB", columns });
    const row = ["", "15/01/2020", "y"];
    checker.add(1, recordOf(rowConverter(columns.formats, "GB")(row)), row);
    expect(checker.summary().problems[0].examples[0].message).toMatch(/^external_id is/);
  });

  it("words the fix grid's problems the same way", () => {
    const session = new FixSession({ ...columns, mapping: [...columns.mapping], formats: [...columns.formats], catalog: [["joined", "date"]], edits: NO_EDITS });
    session.add(1, ["M1", "31/02/2020", "n"]);
    expect(session.rows()[0].problems).toEqual([{ column: 1, field: "joined", message: '"31/02/2020" is not a real date (DD/MM/YYYY)' }]);
    expect(session.patch(1, 1, "28/02/2020")?.problems).toEqual([]);
  });
});
