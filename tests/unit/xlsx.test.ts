import { zipSync, strToU8 } from "fflate";
import { describe, expect, it } from "vitest";
import { formatNumber } from "@/lib/xlsx/number-format";
import { readXlsxSheet, XLSX_LIMITS, XlsxError, xlsxSheetNames } from "@/lib/xlsx/read-xlsx";
import { makeXlsx } from "../support/make-xlsx";

const rowsOf = (bytes: Uint8Array, sheet?: string, limits = XLSX_LIMITS) => [...readXlsxSheet(bytes, sheet, limits)].flat();

describe("number formats: the text Excel shows", () => {
  it("pads, groups, rounds and decorates numbers", () => {
    expect(formatNumber(123, "00000")).toBe("00123");
    expect(formatNumber(1234.5, "#,##0.00")).toBe("1,234.50");
    expect(formatNumber(8, '"£"#,##0.00')).toBe("£8.00");
    expect(formatNumber(0.125, "0.0%")).toBe("12.5%");
    expect(formatNumber(-5, "0;(0)")).toBe("(5)");
    expect(formatNumber(-5, "0.00")).toBe("-5.00");
    expect(formatNumber(2.5, "0.##")).toBe("2.5");
    expect(formatNumber(1234567, "0.00E+00")).toBe("1.23E+06");
    expect(formatNumber(42, "@")).toBe("42");
  });

  it("shows dates and times from serial numbers", () => {
    expect(formatNumber(43845, "dd/mm/yyyy")).toBe("2020-01-15");
    expect(formatNumber(43845, "d-mmm-yy")).toBe("2020-01-15");
    expect(formatNumber(43845.5, "dd/mm/yyyy hh:mm")).toBe("2020-01-15 12:00");
    expect(formatNumber(0.75, "h:mm")).toBe("18:00");
    expect(formatNumber(61, "yyyy-mm-dd")).toBe("1900-03-01"); // after Excel's fake 29 Feb 1900
    expect(formatNumber(0, "yyyy-mm-dd", true)).toBe("1904-01-01");
  });
});

describe("reading a workbook", () => {
  const book = makeXlsx([
    { name: "Notes", rows: [["just a note"]] },
    {
      name: "Members",
      rows: [
        ["id", "name", "joined", "dues"],
        [{ v: 123, format: "00000" }, "Ann & Bob <3", { v: 43845, format: "dd/mm/yyyy" }, 10.5],
        [],
        [{ v: 42, format: "00000" }, null, null, 0.1 + 0.2],
      ],
    },
  ]);

  it("lists the sheets and reads the chosen one as the text Excel shows", () => {
    expect(xlsxSheetNames(book)).toEqual(["Notes", "Members"]);
    expect(rowsOf(book)).toEqual([["just a note"]]);
    expect(rowsOf(book, "Members")).toEqual([
      ["id", "name", "joined", "dues"],
      ["00123", "Ann & Bob <3", "2020-01-15", "10.5"],
      ["00042", "", "", "0.3"],
    ]);
    expect(() => rowsOf(book, "Nope")).toThrow('This workbook has no sheet named "Nope"');
  });

  it("refuses what is not a workbook, with a message a user reads", () => {
    expect(() => xlsxSheetNames(strToU8("id,name\n1,Ann\n"))).toThrow(/not an Excel .xlsx file/);
    expect(() => xlsxSheetNames(zipSync({ "a.txt": strToU8("hi") }))).toThrow(/not an Excel workbook/);
  });

  it("stops a zip bomb at the uncompressed limit", () => {
    const bomb = makeXlsx([{ name: "S", rows: [["id"], ["x".repeat(5_000_000)]] }], { level: 6 });
    expect(bomb.length).toBeLessThan(100_000);
    const limits = { ...XLSX_LIMITS, maxUncompressedBytes: 1_000_000 };
    expect(() => rowsOf(bomb, undefined, limits)).toThrow(XlsxError);
    expect(() => rowsOf(bomb, undefined, limits)).toThrow(/unpacks to more than 1 MB/);
    expect(rowsOf(bomb, undefined, { ...XLSX_LIMITS, maxUncompressedBytes: 20_000_000 })[1][0]).toHaveLength(5_000_000);
  });

  it("stops a sheet with too many rows or columns", () => {
    const long = makeXlsx([{ name: "Long", rows: Array.from({ length: 101 }, (_, i) => [`r${i}`]) }]);
    expect(() => rowsOf(long, undefined, { ...XLSX_LIMITS, maxRows: 100 })).toThrow("The sheet “Long” has more than 100 rows");
    expect(rowsOf(long, undefined, { ...XLSX_LIMITS, maxRows: 101 })).toHaveLength(101);
    const wide = makeXlsx([{ name: "Wide", rows: [Array.from({ length: 12 }, (_, i) => `c${i}`)] }]);
    expect(() => rowsOf(wide, undefined, { ...XLSX_LIMITS, maxColumns: 10 })).toThrow("uses more than 10 columns (a value in column 11)");
  });
});
