import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, test } from "vitest";
import { AppError } from "@/lib/errors";
import { detectEncoding, normaliseHeader, readCsv } from "@/lib/csv/parse-csv";

const enc = (s: string) => new Uint8Array(Buffer.from(s, "utf8"));
const bytes = (...parts: (string | number[] | Uint8Array)[]) =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p)))));

/** Feeds `data` in pieces of `step` bytes; records whether the reader closed the source early. */
function source(data: Uint8Array, step = data.length || 1) {
  const state = { returned: false, pulled: 0 };
  const iterable: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]() {
      let at = 0;
      return {
        async next() {
          if (at >= data.length) return { done: true, value: undefined };
          const value = data.subarray(at, at + step);
          at += step;
          state.pulled++;
          return { done: false, value };
        },
        async return() {
          state.returned = true;
          return { done: true, value: undefined };
        },
      };
    },
  };
  return { iterable, state };
}

async function read(data: Uint8Array | string, step?: number, batchSize?: number) {
  const b = typeof data === "string" ? enc(data) : data;
  let header: string[] | null = null;
  const batches: string[][][] = [];
  const result = await readCsv(
    source(b, step).iterable,
    {
      onHeader: (h) => {
        header = h;
      },
      onRows: async (rows) => {
        batches.push(rows);
      },
    },
    { batchSize },
  );
  return { header: header as string[] | null, rows: batches.flat(), batches, result };
}

async function failure(data: Uint8Array | string, step?: number): Promise<AppError> {
  try {
    await read(data, step);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error("expected readCsv to fail");
}

describe("encodings", () => {
  test("UTF-8 with a BOM: the BOM is not part of the first header", async () => {
    const { header, rows, result } = await read(bytes([0xef, 0xbb, 0xbf], "external_id,first_name\n1,Zoë\n"));
    expect(header).toEqual(["external_id", "first_name"]);
    expect(rows).toEqual([["1", "Zoë"]]);
    expect(result).toEqual({ rows: 1, encoding: "utf-8", delimiter: "," });
  });

  test("UTF-8 without a BOM, and plain ASCII", async () => {
    expect((await read("external_id,city\n1,Kraków\n")).rows).toEqual([["1", "Kraków"]]);
    const ascii = await read("external_id,city\n1,Leeds\n");
    expect(ascii.rows).toEqual([["1", "Leeds"]]);
    expect(ascii.result.encoding).toBe("utf-8");
  });

  test("Windows-1252: é (0xE9), € (0x80), œ (0x9C), ’ (0x92)", async () => {
    const data = bytes("external_id,first_name,note\n1,Ren", [0xe9], ",", [0x80], "5 ", [0x9c], "uf l", [0x92], "an\n");
    for (const step of [data.length, 1, 3]) {
      const { rows, result } = await read(data, step);
      expect(result.encoding).toBe("windows-1252");
      expect(rows).toEqual([["1", "René", "€5 œuf l’an"]]);
    }
  });

  test("Windows-1252 whose first accent comes after 64 KiB of ASCII is still read as 1252", async () => {
    const ascii = "external_id,name\n" + Array.from({ length: 12_000 }, (_, i) => `M${i},Smith`).join("\n") + "\n";
    expect(ascii.length).toBeGreaterThan(64 * 1024);
    const { rows, result } = await read(bytes(ascii, "M-last,Jos", [0xe9], "\n"), 4096);
    expect(result.encoding).toBe("windows-1252");
    expect(rows.at(-1)).toEqual(["M-last", "José"]);
    expect(rows).toHaveLength(12_001);
  });

  test("invalid UTF-8 after valid UTF-8 fails the job instead of writing U+FFFD", async () => {
    const head = "external_id,name\n1,Zoë\n" + "M1,abc\n".repeat(20_000);
    const e = await failure(bytes(head, "M2,", [0xff], "\n"), 8192);
    expect(e.code).toBe("not_csv");
    expect(e.message).toMatch(/UTF-8/);
  });

  test("UTF-16 LE and BE with a BOM, LE without one", async () => {
    const text = "external_id,name\r\n1,Zoë\r\n2,Łódź 😀\r\n";
    const le = Buffer.from(text, "utf16le");
    const be = Buffer.from(le).swap16();
    const want = [
      ["1", "Zoë"],
      ["2", "Łódź 😀"],
    ];
    for (const step of [1, 3, 4096]) {
      const a = await read(bytes([0xff, 0xfe], le), step);
      expect(a.result.encoding).toBe("utf-16le");
      expect(a.header).toEqual(["external_id", "name"]);
      expect(a.rows).toEqual(want);
      const b = await read(bytes([0xfe, 0xff], be), step);
      expect(b.result.encoding).toBe("utf-16be");
      expect(b.rows).toEqual(want);
    }
    const noBom = await read(new Uint8Array(le), 5);
    expect(noBom.result.encoding).toBe("utf-16le");
    expect(noBom.rows).toEqual(want);
  });

  test("multi-byte UTF-8 characters split across chunks (one byte at a time)", async () => {
    const text = "external_id,name\r\n1,\"Łódź\r\n😀 ü\"\r\n2,日本語\r\n";
    const { rows, result } = await read(text, 1);
    expect(result.encoding).toBe("utf-8");
    expect(rows).toEqual([
      ["1", "Łódź\r\n😀 ü"],
      ["2", "日本語"],
    ]);
  });

  test("detectEncoding on the first bytes", () => {
    expect(detectEncoding(enc("a,b\n")).encoding).toBe("utf-8");
    expect(detectEncoding(enc("é")).encoding).toBe("utf-8");
    expect(detectEncoding(bytes([0xef, 0xbb, 0xbf], "a"))).toEqual({ encoding: "utf-8", bomLength: 3 });
    expect(detectEncoding(bytes([0xff, 0xfe], "a"))).toEqual({ encoding: "utf-16le", bomLength: 2 });
    expect(detectEncoding(bytes([0xfe, 0xff]))).toEqual({ encoding: "utf-16be", bomLength: 2 });
    expect(detectEncoding(new Uint8Array(Buffer.from("a,b\n1,2\n", "utf16le"))).encoding).toBe("utf-16le");
    expect(detectEncoding(bytes([0x61, 0xe9, 0x62])).encoding).toBe("windows-1252");
  });
});

describe("delimiters and quoting", () => {
  test("semicolons (quoted commas do not count)", async () => {
    const { rows, result } = await read('external_id;"Last, First";email\n1;"Doe, Jane";j@x.org\n');
    expect(result.delimiter).toBe(";");
    expect(rows).toEqual([["1", "Doe, Jane", "j@x.org"]]);
  });

  test("tabs", async () => {
    const { header, rows, result } = await read("external_id\tphone_number\tscore\n007\t+447565000000\t1.50\n");
    expect(result.delimiter).toBe("\t");
    expect(header).toEqual(["external_id", "phone_number", "score"]);
    expect(rows).toEqual([["007", "+447565000000", "1.50"]]);
  });

  test("quoted fields with newlines, delimiters and doubled quotes; CRLF lines", async () => {
    const text = 'external_id,note,other\r\n1,"line one\nline two, still ""quoted""",x\r\n2,"a\r\nb",""\r\n3,plain,"last"';
    for (const step of [1, 2, 7, text.length]) {
      const { rows } = await read(text, step);
      expect(rows).toEqual([
        ["1", 'line one\nline two, still "quoted"', "x"],
        ["2", "a\r\nb", ""],
        ["3", "plain", "last"],
      ]);
    }
  });

  test("a quoted field larger than the parse chunk", async () => {
    const big = "x".repeat(300_000) + "\n" + '"'.repeat(2);
    const text = `external_id,note\n1,"${big}"\n2,b\n`;
    const { rows } = await read(text, 1000);
    expect(rows).toEqual([
      ["1", "x".repeat(300_000) + '\n"'],
      ["2", "b"],
    ]);
  });

  test("cells are kept exactly as text", async () => {
    const { rows } = await read('external_id,a,b,c\n007, spaced ,1.50,"TRUE"\n');
    expect(rows).toEqual([["007", " spaced ", "1.50", "TRUE"]]);
  });

  test("old-Mac \\r line breaks", async () => {
    expect((await read("external_id,a\r1,x\r2,y\r", 1)).rows).toEqual([
      ["1", "x"],
      ["2", "y"],
    ]);
  });
});

describe("rows", () => {
  test("header normalisation", () => {
    expect(normaliseHeader("Phone Number")).toBe("phone_number");
    expect(normaliseHeader("  External ID ")).toBe("external_id");
    expect(normaliseHeader("first   name")).toBe("first_name");
    expect(normaliseHeader("EMAIL")).toBe("email");
  });

  test("2500 rows come in batches of 1000, 1000 and 500", async () => {
    const text = "external_id,first_name\n" + Array.from({ length: 2500 }, (_, i) => `M${i},N${i}`).join("\n") + "\n";
    const { batches, result } = await read(text, 777);
    expect(batches.map((b) => b.length)).toEqual([1000, 1000, 500]);
    expect(batches[2][499]).toEqual(["M2499", "N2499"]);
    expect(result.rows).toBe(2500);
    const small = await read(text, 4096, 300);
    expect(small.batches.map((b) => b.length)).toEqual([...Array(8).fill(300), 100]);
  });

  test("blank lines (also before the header, and ';;;' lines) are skipped", async () => {
    const { header, rows, result } = await read("\r\n\r\nexternal_id;a;b\r\n\r\n1;x;y\r\n;;\r\n   \r\n2;z;w\r\n\r\n");
    expect(header).toEqual(["external_id", "a", "b"]);
    expect(rows).toEqual([
      ["1", "x", "y"],
      ["2", "z", "w"],
    ]);
    expect(result.rows).toBe(2);
  });

  test("short rows are padded; extra empty cells dropped; extra values refused naming the row", async () => {
    const { rows } = await read("external_id,a,b\n1\n2,x\n3,x,y,,\n");
    expect(rows).toEqual([
      ["1", "", ""],
      ["2", "x", ""],
      ["3", "x", "y"],
    ]);
    const e = await failure("external_id,a\n1,x\n\n2,y\n3,y,surplus\n");
    expect(e.code).toBe("not_csv");
    expect(e.message).toMatch(/Row 3 has 3 cells/);
  });

  test("a header-only file has no rows; the last row needs no line break", async () => {
    expect((await read("external_id,email")).result.rows).toBe(0);
    expect((await read("external_id,email\n")).header).toEqual(["external_id", "email"]);
    expect((await read("external_id,email\n1,a@b.org")).rows).toEqual([["1", "a@b.org"]]);
  });

  test("an error thrown by onHeader fails the read and closes the source", async () => {
    const src = source(enc("bogus\n" + "1\n".repeat(100_000)), 1024);
    const boom = new AppError("unknown_columns", "nope");
    await expect(
      readCsv(src.iterable, {
        onHeader: () => {
          throw boom;
        },
        onRows: async () => {},
      }),
    ).rejects.toBe(boom);
    expect(src.state.returned).toBe(true);
    expect(src.state.pulled).toBeLessThan(10);
  });
});

describe("not CSV", () => {
  test.each<[string, Uint8Array | string, RegExp]>([
    ["an empty body", "", /empty/],
    ["only blank lines", "\r\n\n  \n", /no header/],
    ["a header with an empty column name", "external_id,,email\n1,2,3\n", /Column 2 of the header/],
    ["a PNG", bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d], "IHDR"), /binary/],
    ["a zip", bytes("PK", [3, 4, 0x14, 0, 0, 0, 8, 0], "xl/workbook.xml"), /binary/],
    ["a NUL byte in the middle", bytes("external_id\n1\n2", [0], "\n"), /binary/],
    ["an HTML page (doctype)", "\n  <!DOCTYPE html>\n<html><body>Sign in</body></html>", /HTML/],
    ["an HTML page (<html>)", "<HTML lang=en><head></head></HTML>\n", /HTML/],
    ["a quote never closed", 'external_id,note\n1,ok\n2,"never closed\n3,x\n', /never closed/],
  ])("%s", async (_name, data, message) => {
    const e = await failure(data, 3);
    expect(e.code).toBe("not_csv");
    expect(e.message).toMatch(message);
  });
});

describe("memory", () => {
  test("a streamed 50 MB file keeps the heap bounded", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const header = Buffer.from("external_id,first_name,last_name,email,phone_number,note\n");
    const rowsPerBlock = 1000;
    const block = Buffer.from(
      Array.from(
        { length: rowsPerBlock },
        (_, i) => `M${100000 + i},Firstname,Lastname,someone${i}@example.org,+447565000000,"a ""quoted"", note"\n`,
      ).join(""),
    );
    const total = 50 * 1024 * 1024;
    let blocks = 0;
    async function* big() {
      yield new Uint8Array(header);
      for (let sent = 0; sent < total; sent += block.length) {
        blocks++;
        yield new Uint8Array(block); // a fresh chunk each time, like a socket
      }
    }
    gc();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let count = 0;
    const started = Date.now();
    const result = await readCsv(big(), {
      onHeader: () => {},
      onRows: async (rows) => {
        count += rows.length;
        if (count % 20_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
      },
    });
    expect(result.rows).toBe(blocks * rowsPerBlock);
    expect(count).toBe(result.rows);
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
