import { describe, expect, it } from "vitest";
import { convertCell, rowConverter } from "@/lib/formats/convert";
import { StatsCollector } from "@/lib/formats/column-stats";
import { excelSerialToIso, parseDate } from "@/lib/formats/dates";
import { parseNumber } from "@/lib/formats/numbers";
import { guessRegion, parsePhone } from "@/lib/formats/phones";
import { suggestFormat } from "@/lib/formats/suggest";
import type { FormatFamily } from "@/lib/formats/column-format";
import { normaliseRecord } from "@/lib/records/normalise-record";

/** The suggestion for one column holding `values`. */
function suggest(family: FormatFamily, values: string[], region = "GB") {
  const c = new StatsCollector();
  for (const v of values) c.add([v]);
  const stats = c.result(1)[0];
  stats.phoneRegion = guessRegion(stats.samples, region); // as the worker does
  return suggestFormat(family, stats, region);
}

describe("dates", () => {
  it("reads every order into YYYY-MM-DD", () => {
    expect(parseDate("15/01/2020", "dmy")).toBe("2020-01-15");
    expect(parseDate("5.1.2020", "dmy")).toBe("2020-01-05");
    expect(parseDate("01/15/2020", "mdy")).toBe("2020-01-15");
    expect(parseDate("2020-1-5", "ymd")).toBe("2020-01-05");
    expect(parseDate("2020/01/15", "ymd")).toBe("2020-01-15");
    expect(parseDate("15 Jan 2020", "dmmmy")).toBe("2020-01-15");
    expect(parseDate("3 September 2021", "dmmmy")).toBe("2021-09-03");
    expect(parseDate("1-Sept-2021", "dmmmy")).toBe("2021-09-01");
    expect(parseDate("43845", "excel")).toBe("2020-01-15");
    expect(parseDate("43845.75", "excel")).toBe("2020-01-15"); // the time of day is dropped
  });

  it("refuses what is not a real date in the chosen order", () => {
    expect(parseDate("01/15/2020", "dmy")).toBeNull();
    expect(parseDate("29/02/2021", "dmy")).toBeNull();
    expect(parseDate("29/02/2020", "dmy")).toBe("2020-02-29");
    expect(parseDate("15/01/20", "dmy")).toBeNull(); // a two-digit year: which century?
    expect(parseDate("15 Foo 2020", "dmmmy")).toBeNull();
    expect(parseDate("2020-01-15", "dmy")).toBeNull();
  });

  it("counts Excel serials around its 1900 leap-year bug", () => {
    expect(excelSerialToIso(1)).toBe("1900-01-01");
    expect(excelSerialToIso(59)).toBe("1900-02-28");
    expect(excelSerialToIso(60)).toBeNull(); // Excel's 29 February 1900, which never was
    expect(excelSerialToIso(61)).toBe("1900-03-01");
    expect(excelSerialToIso(36526)).toBe("2000-01-01");
    expect(excelSerialToIso(2958465)).toBe("9999-12-31");
    expect(excelSerialToIso(0)).toBeNull();
    expect(excelSerialToIso(2958466)).toBeNull();
  });

  it("settles day-first from one day over 12 anywhere in the column, not from the first rows", () => {
    const values = [...Array(500).fill("03/04/2020"), "15/01/2020"];
    expect(suggest("date", values).format).toEqual({ kind: "date", order: "dmy" });
    expect(suggest("date", ["03/04/2020", "01/15/2020"]).format).toEqual({ kind: "date", order: "mdy" });
  });

  it("asks when the column cannot tell, or contradicts itself", () => {
    const ambiguous = suggest("date", ["03/04/2020", "05/06/2021", ""]);
    expect(ambiguous.format).toBeNull();
    expect(ambiguous.question).toMatch(/day\/month or month\/day/);
    const mixed = suggest("date", ["15/01/2020", "01/15/2020"]);
    expect(mixed.format).toBeNull();
    expect(mixed.question).toMatch(/some the month first/);
    expect(mixed.question).toContain("(1 row, like 15/01/2020)");
  });

  it("suggests the order most of the column is written in", () => {
    expect(suggest("date", ["2020-01-15", "2021-12-01"]).format).toEqual({ kind: "date", order: "ymd" });
    expect(suggest("date", ["15 Jan 2020", "1 Feb 2020"]).format).toEqual({ kind: "date", order: "dmmmy" });
    expect(suggest("date", ["43845", "43846"]).format).toEqual({ kind: "date", order: "excel" });
    expect(suggest("date", ["", ""]).format).toEqual({ kind: "date", order: "dmy" });
  });
});

describe("numbers", () => {
  it("strips currency symbols and reads each value by the decimal mark it shows", () => {
    expect(parseNumber("£8", ".")).toBe("8");
    expect(parseNumber("€ 1.234,50", ".")).toBe("1234.50");
    expect(parseNumber("$1,234.50", ",")).toBe("1234.50");
    expect(parseNumber("10,5", ".")).toBe("10.5");
    expect(parseNumber("12.50", ",")).toBe("12.50");
    expect(parseNumber("-2,25", ".")).toBe("-2.25");
    expect(parseNumber("1,234,567", ",")).toBe("1234567");
    expect(parseNumber("1.234.567", ".")).toBe("1234567");
    expect(parseNumber("1 234,5", ".")).toBe("1234.5");
    expect(parseNumber("0,123", ".")).toBe("0.123"); // no group of thousands starts with 0
  });

  it("reads a value that reads two ways by the chosen mark only", () => {
    expect(parseNumber("1,234", ".")).toBe("1234");
    expect(parseNumber("1,234", ",")).toBe("1.234");
    expect(parseNumber("£1.234", ".")).toBe("1.234");
    expect(parseNumber("1.234", ",")).toBe("1234");
  });

  it("refuses what is no number", () => {
    expect(parseNumber("1,23,4", ".")).toBeNull();
    expect(parseNumber("1.2.3,4.5", ",")).toBeNull();
    expect(parseNumber("ten", ".")).toBeNull();
  });

  it("asks nothing of a column whose every value shows its own mark", () => {
    for (const values of [["12.50", "£8", "10,5"], ["1,234,567", "8"], ["8", "12"], ["1.5", "10,5"]]) {
      const s = suggest("number", values);
      expect(s.format).not.toBeNull();
      expect(s.question).toBeUndefined();
      expect(s.choices).toEqual([]);
      expect(values.map((v) => convertCell(s.format!, v, "GB"))).toEqual(values.map((v) => parseNumber(v, ".")));
    }
    const s = suggest("number", ["12.50", "£8", "10,5"]);
    expect(["12.50", "£8", "10,5"].map((v) => convertCell(s.format!, v, "GB"))).toEqual(["12.50", "8", "10.5"]);
  });

  it("reads 1,234 by the one mark the rest of the column uses", () => {
    expect(suggest("number", ["1,234", "1,5"]).format).toEqual({ kind: "number", decimal: "," });
    expect(suggest("number", ["1,234", "2.5"]).format).toEqual({ kind: "number", decimal: "." });
  });

  it("asks once when a value reads two ways and the column cannot tell, counting values rightly", () => {
    const one = suggest("number", ["1,234", "8"]);
    expect(one.format).toBeNull();
    expect(one.question).toBe("“1,234” can be read two ways: 1234 or 1.234. Choose the decimal mark.");
    const mixed = suggest("number", ["12.50", "10,5", "£2,500", "1,234"]);
    expect(mixed.format).toBeNull();
    expect(mixed.question).toBe("2 values here, like “£2,500”, can be read two ways: 2500 or 2.500. Choose the decimal mark.");
    expect(mixed.choices.map((c) => c.label)).toEqual(["decimal point: “£2,500” is 2500", "decimal comma: “£2,500” is 2.500"]);
    // the answer reads the two-way values only: 12.50 and 10,5 stay as they show themselves
    const comma = mixed.choices[1].format;
    expect(["12.50", "10,5", "£2,500", "1,234"].map((v) => convertCell(comma, v, "GB"))).toEqual(["12.50", "10.5", "2.500", "1.234"]);
  });
});

describe("flags", () => {
  it("reads Y/N", () => {
    const s = suggest("flag", ["Y", "N", "y", ""]);
    expect(s.format).toEqual({ kind: "flag", yes: "y", no: "n" });
    expect(convertCell(s.format!, " Y ", "GB")).toBe("true");
    expect(convertCell(s.format!, "n", "GB")).toBe("false");
    expect(convertCell(s.format!, "", "GB")).toBe(""); // a blank still leaves the value as it is
  });

  it("reads ticked/blank: the blank means no", () => {
    const s = suggest("flag", ["✓", "", "✓"]);
    expect(s.format).toEqual({ kind: "flag", yes: "✓", no: "" });
    expect(convertCell(s.format!, "", "GB")).toBe("false");
    expect(convertCell(s.format!, "✓", "GB")).toBe("true");
  });

  it("asks which of two other values means yes", () => {
    const s = suggest("flag", ["Member", "Lapsed", "member"]);
    expect(s.format).toBeNull();
    expect(s.question).toBe("Which of “member” and “lapsed” means yes?");
    const chosen = s.choices.find((c) => c.label.startsWith("“lapsed” means yes"))!.format;
    expect(convertCell(chosen, "Lapsed", "GB")).toBe("true");
    expect(convertCell(chosen, "MEMBER", "GB")).toBe("false");
  });

  it("leaves a column of standard values as written, and a value the format does not know as it was", () => {
    expect(suggest("flag", ["yes", "no", "1"]).format).toEqual({ kind: "as-is" });
    expect(convertCell({ kind: "flag", yes: "y", no: "n" }, "maybe", "GB")).toBe("maybe");
  });
});

describe("phones", () => {
  it("puts back the leading 0 a spreadsheet dropped, and reads a column's own region", () => {
    expect(parsePhone("7400123457", "GB")).toBe("+447400123457");
    expect(parsePhone("0871234567", "IE")).toBe("+353871234567");
    expect(parsePhone("0871234567", "GB")).toBeNull();
    expect(convertCell({ kind: "phone", region: "IE" }, "087 123 4567", "GB")).toBe("+353871234567");
    expect(convertCell({ kind: "phone", region: "IE" }, "+44 7400 123457", "GB")).toBe("+44 7400 123457"); // the server reads it
    expect(convertCell({ kind: "phone", region: "IE" }, "not a phone", "GB")).toBe("not a phone");
  });

  it("suggests the region most of the column's numbers are valid in", () => {
    expect(suggest("phone", ["0871234567", "0861234567"]).format).toEqual({ kind: "phone", region: "IE" });
    expect(suggest("phone", ["07400123457", "+353871234567"]).format).toEqual({ kind: "phone", region: "GB" });
  });
});

describe("a converted row passes the server's unchanged rules", () => {
  it("the branch export's row", () => {
    const formats = [null, { kind: "date", order: "dmy" }, { kind: "flag", yes: "y", no: "n" }, { kind: "number", decimal: "," }, { kind: "phone", region: "GB" }] as const;
    const convert = rowConverter([...formats], "GB");
    const row = convert(["M1", "15/01/2020", "Y", "10,5", "7400123457"]);
    expect(row).toEqual(["M1", "2020-01-15", "true", "10.5", "+447400123457"]);
    const catalog = new Map([["joined", "date"], ["dues", "float"]] as const);
    const r = normaliseRecord(
      { external_id: row[0], joined: row[1], subscription_sms: row[2], dues: row[3], phone_number: row[4] },
      { catalog, phoneRegion: "GB", source: "csv" },
    );
    expect(r).toEqual({
      ok: true,
      patch: { externalId: "M1", attrs: { subscription_sms: true, phone_number: "+447400123457" }, custom: { joined: "2020-01-15", dues: 10.5 } },
    });
    // unconverted, the same row is rejected by the same rules
    const raw = normaliseRecord({ external_id: "M1", joined: "15/01/2020", subscription_sms: "Y", dues: "10,5" }, { catalog, phoneRegion: "GB", source: "csv" });
    expect(raw.ok).toBe(false);
  });
});
