// The shaping rules a CSV file and an .xlsx sheet share (lib/csv/table-rows.ts),
// through each reader the wizard uses.
import { describe, expect, it } from "vitest";
import { readCsv } from "@/lib/csv/parse-csv";
import { sheetsOf, sheetToRead, tableReader } from "@/components/upload/read-table";
import { makeXlsx, type XlsxCell } from "../support/make-xlsx";

type Read = { header: string[] | null; batches: string[][][]; rows: number };

async function viaCsv(text: string, batchSize = 1000): Promise<Read> {
  const out: Read = { header: null, batches: [], rows: 0 };
  async function* bytes() {
    yield new TextEncoder().encode(text);
  }
  const r = await readCsv(bytes(), { onHeader: (h) => void (out.header = h), onRows: async (rows) => void out.batches.push(rows) }, { batchSize });
  out.rows = r.rows;
  return out;
}

async function viaXlsx(rows: XlsxCell[][], batchSize = 1000): Promise<Read> {
  const out: Read = { header: null, batches: [], rows: 0 };
  const file = new File([Buffer.from(makeXlsx([{ name: "Members", rows }]))], "members.xlsx");
  const read = tableReader(file, undefined, () => {});
  const r = await read({ onHeader: (h) => void (out.header = h), onRows: async (rows) => void out.batches.push(rows) }, { batchSize });
  out.rows = r.rows;
  return out;
}

describe("a CSV file and an .xlsx sheet are shaped by the same rules", () => {
  it("skip blank rows, take the first row left as the header, and pad short rows", async () => {
    const csv = await viaCsv(",,\n\nid,name,email\n1,Ann\n,,\n2,Bob,bob@example.org\n");
    const xlsx = await viaXlsx([[null, null], ["id", "name", "email"], ["1", "Ann"], [], ["2", "Bob", "bob@example.org"]]);
    for (const read of [csv, xlsx]) {
      expect(read.header).toEqual(["id", "name", "email"]);
      expect(read.batches.flat()).toEqual([
        ["1", "Ann", ""],
        ["2", "Bob", "bob@example.org"],
      ]);
      expect(read.rows).toBe(2);
    }
  });

  it("cut empty cells beyond the header, and send rows in batches of the size asked", async () => {
    const csv = await viaCsv("id,name\n1,Ann,,\n2,Bob\n3,Cy\n", 2);
    const xlsx = await viaXlsx([["id", "name"], ["1", "Ann", " "], ["2", "Bob"], ["3", "Cy"]], 2);
    for (const read of [csv, xlsx]) {
      expect(read.batches.map((b) => b.length)).toEqual([2, 1]);
      expect(read.batches[0][0]).toEqual(["1", "Ann"]);
    }
  });

  it("fail on a header cell with no name", async () => {
    await expect(viaCsv("id,,email\n1,Ann,a@example.org\n")).rejects.toThrow("Column 2 of the header row has no name");
    await expect(viaXlsx([["id", null, "email"], ["1", "Ann", "a@example.org"]])).rejects.toThrow("Column 2 of the header row has no name");
  });

  it("fail on a value beyond the header, each reader saying where in its own terms", async () => {
    await expect(viaCsv("id,name\n1,Ann\n2,Bob,extra\n")).rejects.toThrow("Row 2 has 3 cells but the header has only 2 columns; check its quotes and delimiters");
    await expect(viaXlsx([["id", "name"], ["1", "Ann"], ["2", "Bob", null, "extra"]])).rejects.toThrow(
      "Row 2 has a value in column 4, but the header has only 2 columns; give that column a name",
    );
  });

  it("fail on a file with no header row", async () => {
    await expect(viaCsv("\n,,\n")).rejects.toThrow("The file has no header row");
    await expect(viaXlsx([[], [null, " "]])).rejects.toThrow("The sheet is empty: it has no header row");
  });
});

describe("an .xlsx file in the preview", () => {
  it("is read once to list its sheets and show its first rows", async () => {
    const file = new File([Buffer.from(makeXlsx([{ name: "Notes", rows: [["x"]] }, { name: "Members", rows: [["id"], ["1"]] }]))], "book.xlsx");
    let reads = 0;
    const arrayBuffer = file.arrayBuffer.bind(file);
    file.arrayBuffer = () => (reads++, arrayBuffer());
    expect(await sheetsOf(file)).toEqual(["Notes", "Members"]);
    const rows: string[][] = [];
    await tableReader(file, "Members", () => {})({ onHeader: () => {}, onRows: async (r) => void rows.push(...r) });
    expect(rows).toEqual([["1"]]);
    expect(reads).toBe(1);
  });

  it("opens on the sheet that looks like the member table when none is chosen, reading the file once", async () => {
    const book = makeXlsx([{ name: "Readme", rows: [["Exported from the branch system"]] }, { name: "Members", rows: [["Member number", "Email"], ["1", "a@example.org"]] }]);
    const file = new File([Buffer.from(book)], "book.xlsx");
    let reads = 0;
    const arrayBuffer = file.arrayBuffer.bind(file);
    file.arrayBuffer = () => (reads++, arrayBuffer());
    expect(await sheetToRead(file, undefined)).toBe("Members");
    expect(await sheetToRead(file, "Readme")).toBe("Readme");
    let header: string[] = [];
    await tableReader(file, undefined, () => {})({ onHeader: (h) => void (header = h), onRows: async () => {} });
    expect(header).toEqual(["Member number", "Email"]);
    expect(reads).toBe(1);
    expect(await sheetToRead(new File(["id\n1\n"], "members.csv"), undefined)).toBeUndefined();
  });
});
