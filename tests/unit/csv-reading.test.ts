import { describe, expect, test } from "vitest";
import { AppError } from "@/lib/errors";
import { normaliseHeader, readCsv } from "@/lib/csv/parse-csv";

async function* pieces(data: Uint8Array, step: number) {
  for (let i = 0; i < data.length; i += step) yield data.subarray(i, i + step);
}

async function read(data: Uint8Array | string, step = 7, batchSize?: number) {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  let header: string[] = [];
  const batches: string[][][] = [];
  const info = await readCsv(
    pieces(bytes, step),
    { onHeader: (h) => void (header = h), onRows: async (rows) => void batches.push(rows) },
    { batchSize },
  );
  return { header, rows: batches.flat(), batches, info };
}

async function readError(data: Uint8Array | string): Promise<AppError> {
  try {
    await read(data);
  } catch (e) {
    return e as AppError;
  }
  throw new Error("expected the CSV to be refused");
}

describe("readCsv", () => {
  test("UTF-8 with BOM, semicolons, quoted delimiters, newlines and doubled quotes", async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const body = Buffer.from('External ID;Notes\r\n"M;1";"said ""hi""\nthen left"\r\nM2;plain\r\n');
    const { header, rows, info } = await read(Buffer.concat([bom, body]));
    expect(header).toEqual(["External ID", "Notes"]);
    expect(rows).toEqual([
      ["M;1", 'said "hi"\nthen left'],
      ["M2", "plain"],
    ]);
    expect(info).toMatchObject({ encoding: "utf-8", delimiter: ";", rows: 2 });
  });

  test("tabs, and cells kept exactly as text", async () => {
    const { rows, info } = await read("external_id\tphone_number\tscore\n007\t+447565000000\t1.50\n");
    expect(info.delimiter).toBe("\t");
    expect(rows).toEqual([["007", "+447565000000", "1.50"]]);
  });

  test("Windows-1252 is detected and decoded (é, €)", async () => {
    const data = Buffer.from([...Buffer.from("external_id,first_name\n1,Ren"), 0xe9, 0x20, 0x80, 0x0a]);
    const { rows, info } = await read(data);
    expect(info.encoding).toBe("windows-1252");
    expect(rows).toEqual([["1", "René €"]]);
  });

  test("UTF-16 LE with a BOM", async () => {
    const data = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("external_id,name\r\n1,Zoë\r\n", "utf16le")]);
    const { rows, info } = await read(data, 3);
    expect(info.encoding).toBe("utf-16le");
    expect(rows).toEqual([["1", "Zoë"]]);
  });

  test("a multi-byte character split across chunks decodes correctly", async () => {
    const { rows } = await read("external_id,name\n1,Łódź 😀\n", 1);
    expect(rows).toEqual([["1", "Łódź 😀"]]);
  });

  test("rows come in batches, short rows are padded, blank lines skipped", async () => {
    const lines = ["external_id,a,b"];
    for (let i = 0; i < 2500; i++) lines.push(i === 5 ? "" : `M${i},x`);
    const { batches, rows } = await read(lines.join("\n") + "\n", 4096, 1000);
    expect(batches.map((b) => b.length)).toEqual([1000, 1000, 499]);
    expect(rows[0]).toEqual(["M0", "x", ""]);
  });

  test.each([
    ["an empty file", ""],
    ["a web page", "<!DOCTYPE html><html><body>Sign in</body></html>"],
    ["binary data", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])],
    ["a header with an empty name", "external_id,,email\n1,2,3\n"],
    ["a row wider than the header", "external_id,email\n1,a@b.org,extra\n"],
  ])("refuses %s with not_csv", async (_name, data) => {
    const e = await readError(data);
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe("not_csv");
  });

  test("invalid UTF-8 after the first 64 KiB is refused, not replaced", async () => {
    // "é" makes the file UTF-8; a later stray byte must not become U+FFFD
    const head = "external_id,name\nM0,é\n" + "M1,abc\n".repeat(20_000);
    const data = Buffer.concat([Buffer.from(head), Buffer.from([0x4d, 0x32, 0x2c, 0xff, 0x0a])]);
    const e = await readError(data);
    expect(e.code).toBe("not_csv");
  });

  test("a 20 MB file streams with bounded memory", async () => {
    const row = Buffer.from("M123456,Firstname,Lastname,someone@example.org,+447565000000\n");
    const header = Buffer.from("external_id,first_name,last_name,email,phone_number\n");
    const total = 20 * 1024 * 1024;
    async function* big() {
      yield header;
      const block = Buffer.concat(Array(1000).fill(row));
      for (let sent = 0; sent < total; sent += block.length) yield block;
    }
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let count = 0;
    await readCsv(big(), {
      onHeader: () => {},
      onRows: async (rows) => {
        count += rows.length;
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      },
    });
    expect(count).toBeGreaterThan(300_000);
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
  });
});

test("normaliseHeader", () => {
  expect(normaliseHeader(" Phone Number ")).toBe("phone_number");
  expect(normaliseHeader("EXTERNAL_ID")).toBe("external_id");
  expect(normaliseHeader("first  name")).toBe("first_name");
});
