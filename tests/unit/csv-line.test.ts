// The rejected-rows download must be safe to open in a spreadsheet and read
// back by this importer exactly as the values were.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { csvLine, neutraliseCell, restoreCell } from "@/lib/csv/csv-line";
import { cellsToRecords } from "@/lib/records/cells-to-records";

const formulaChars = fc.constantFrom("=", "+", "-", "@", "\t", "\r", "'", "''");
const cell = fc.oneof(fc.string(), fc.tuple(formulaChars, fc.string()).map(([a, b]) => a + b));

describe("formula cells", () => {
  test("a spreadsheet never sees a formula", () => {
    fc.assert(
      fc.property(cell, (v) => {
        const out = neutraliseCell(v);
        expect(/^[=@\t\r]/.test(out)).toBe(false);
        if (/^[+-]/.test(out)) expect(out).toMatch(/^[+-][\d .()-]*$/);
      }),
      { numRuns: 2000 },
    );
  });

  test("every value is read back exactly", () => {
    fc.assert(
      fc.property(cell, (v) => {
        expect(restoreCell(neutraliseCell(v))).toBe(v);
      }),
      { numRuns: 2000 },
    );
  });

  test("numbers and phone numbers are written as they are", () => {
    for (const v of ["+447400123456", "+44 (0)7400 123456", "-2", "-2.5", "+1", "07400 123456"]) expect(neutraliseCell(v)).toBe(v);
    expect(neutraliseCell("=HYPERLINK(\"x\")")).toBe("'=HYPERLINK(\"x\")");
    expect(neutraliseCell("+SUM(A1)")).toBe("'+SUM(A1)");
    expect(neutraliseCell("@cmd")).toBe("'@cmd");
    expect(neutraliseCell("'=already")).toBe("''=already");
  });

  test("a downloaded line uploaded again gives the same records", () => {
    const values = ["=cmd()", "+44 7400 123456", "-2", "'=quoted", "plain, with comma", 'say "hi"', "@SUM(A1)"];
    const line = csvLine(values);
    // a minimal read of that one line (the full reader is tested elsewhere)
    const cells = [...line.trimEnd().matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, values.length).map((m) => {
      const c = m[1];
      return c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c;
    });
    const mapping = values.map((_, i) => `f${i}`);
    expect(cellsToRecords(mapping, [cells])[0]).toEqual(Object.fromEntries(values.map((v, i) => [`f${i}`, v])));
  });
});
