import { describe, expect, test } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { bulkUpsertBodySchema, parseBulkUpsertBody } from "@/lib/records/bulk-upsert-request";

function errorOf(body: unknown): AppError {
  try {
    parseBulkUpsertBody(body);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error(`expected ${JSON.stringify(body)?.slice(0, 200)} to be refused`);
}
const paths = (e: AppError) => e.details.map((d) => d.path);
const many = (n: number, make: (i: number) => unknown = (i) => ({ external_id: `T${i}` })) => Array.from({ length: n }, (_, i) => make(i));

describe("accepted bodies", () => {
  test("records with the default conflict strategy", () => {
    const records = [{ external_id: "MemNo1", email: "a@b.org", score: 1.5, subscription_sms: true, last_name: null }];
    const r = parseBulkUpsertBody({ records });
    expect(r).toEqual({ conflict_strategy: "reject", dry_run: false, records });
    expect(r.records).toBe(records);
  });

  test("records with ignore", () => {
    expect(parseBulkUpsertBody({ records: [{ external_id: 1 }], conflict_strategy: "ignore" })).toEqual({
      conflict_strategy: "ignore",
      dry_run: false,
      records: [{ external_id: 1 }],
    });
  });

  test("csv_url, http or https", () => {
    expect(parseBulkUpsertBody({ csv_url: "https://example.org/x.csv" })).toEqual({
      conflict_strategy: "reject",
      csv_url: "https://example.org/x.csv",
      dry_run: false,
    });
    expect(parseBulkUpsertBody({ csv_url: "http://example.org:8080/a/b.csv?x=1", conflict_strategy: "reject" }).csv_url).toBe(
      "http://example.org:8080/a/b.csv?x=1",
    );
  });

  test("csv_url is trimmed", () => {
    expect(parseBulkUpsertBody({ csv_url: "  https://example.org/x.csv " }).csv_url).toBe("https://example.org/x.csv");
  });

  test("exactly 1000 records is fine", () => {
    expect(parseBulkUpsertBody({ records: many(1000) }).records).toHaveLength(1000);
  });

  test("unknown keys and odd values inside a record are not a 400 (they are record problems later)", () => {
    const records = [{ external_id: " x ", nickname: "Annie", email: "not-an-email", phone_number: 7565000000, score: "lots" }];
    expect(parseBulkUpsertBody({ records }).records).toBe(records);
  });

  test("integer external_ids, up to 2^53 - 1", () => {
    expect(() => parseBulkUpsertBody({ records: [{ external_id: 0 }, { external_id: Number.MAX_SAFE_INTEGER }] })).not.toThrow();
  });
});

describe("too_many_records", () => {
  test("over 1000 records is too_many_records with the limit", () => {
    const e = errorOf({ records: many(1001) });
    expect(e.code).toBe("too_many_records");
    expect(e.extra).toEqual({ limit: 1000 });
    expect(e.message).toMatch(/1000/);
  });

  test("is decided before the records are looked at one by one, and before other problems", () => {
    const e = errorOf({ records: many(5000, () => "not an object"), csv_url: "ftp://x", conflict_strategy: "merge", dry_run: "yes" });
    expect(e.code).toBe("too_many_records");
  });
});

describe("invalid_payload", () => {
  test.each([
    ["an array body", [], ""],
    ["a string body", "records", ""],
    ["a null body", null, ""],
    ["a number body", 12, ""],
    ["both records and csv_url", { records: [{ external_id: "a" }], csv_url: "https://example.org/x.csv" }, ""],
    ["neither records nor csv_url", { conflict_strategy: "reject" }, ""],
    ["an empty object", {}, ""],
    ["records not an array", { records: { external_id: "a" } }, "records"],
    ["records null", { records: null }, "records"],
    ["records empty", { records: [] }, "records"],
    ["a record that is not an object", { records: [{ external_id: "a" }, "b"] }, "records[1]"],
    ["a record that is an array", { records: [["a"]] }, "records[0]"],
    ["a record that is null", { records: [null] }, "records[0]"],
    ["a missing external_id", { records: [{ external_id: "a" }, { email: "x@y.org" }] }, "records[1].external_id"],
    ["a null external_id", { records: [{ external_id: null }] }, "records[0].external_id"],
    ["an external_id empty after trimming", { records: [{ external_id: "   " }] }, "records[0].external_id"],
    ["an empty external_id", { records: [{ external_id: "" }] }, "records[0].external_id"],
    ["an external_id over 255 characters", { records: [{ external_id: "x".repeat(256) }] }, "records[0].external_id"],
    ["an external_id that is a float", { records: [{ external_id: 1.5 }] }, "records[0].external_id"],
    ["an external_id beyond 2^53", { records: [{ external_id: 2 ** 53 }] }, "records[0].external_id"],
    ["an external_id that is a boolean", { records: [{ external_id: true }] }, "records[0].external_id"],
    ["an external_id that is an object", { records: [{ external_id: { id: 1 } }] }, "records[0].external_id"],
    ["an attribute that is an object", { records: [{ external_id: "a", first_name: { x: 1 } }] }, "records[0].first_name"],
    ["an attribute that is an array", { records: [{ external_id: "a", email: ["x@y.org"] }] }, "records[0].email"],
    ["an unknown key that is an object", { records: [{ external_id: "a", extra: {} }] }, "records[0].extra"],
    ["a bad conflict_strategy", { records: [{ external_id: "a" }], conflict_strategy: "merge" }, "conflict_strategy"],
    ["a conflict_strategy in the wrong case", { records: [{ external_id: "a" }], conflict_strategy: "Reject" }, "conflict_strategy"],
    ["a null conflict_strategy", { records: [{ external_id: "a" }], conflict_strategy: null }, "conflict_strategy"],
    ["a conflict_strategy that is a number", { records: [{ external_id: "a" }], conflict_strategy: 1 }, "conflict_strategy"],
    ["an unknown top-level key", { records: [{ external_id: "a" }], dryRun: true }, "dryRun"],
    ["dry_run not a boolean", { records: [{ external_id: "a" }], dry_run: "true" }, "dry_run"],
    ["a csv_url that is not http(s)", { csv_url: "ftp://example.org/x.csv" }, "csv_url"],
    ["a file: csv_url", { csv_url: "file:///etc/passwd" }, "csv_url"],
    ["a relative csv_url", { csv_url: "/x.csv" }, "csv_url"],
    ["a csv_url without a scheme", { csv_url: "example.org/x.csv" }, "csv_url"],
    ["a csv_url that is not text", { csv_url: 12 }, "csv_url"],
    ["an empty csv_url", { csv_url: "" }, "csv_url"],
    ["a null csv_url", { csv_url: null }, "csv_url"],
  ])("%s", (_name, body, path) => {
    const e = errorOf(body);
    expect(e.code).toBe("invalid_payload");
    expect(e.message.length).toBeGreaterThan(0);
    expect(paths(e)).toContain(path);
    for (const d of e.details) expect(d.message.length).toBeGreaterThan(0);
  });

  test("every problem is reported, each at its place", () => {
    const e = errorOf({
      records: [
        { external_id: "ok" },
        { email: "x@y.org", tags: ["a"] },
        "nope",
        { external_id: "  ", address: { city: "Leeds" }, first_name: "Ann" },
      ],
      conflict_strategy: "merge",
      dry_run: 1,
    });
    expect(e.code).toBe("invalid_payload");
    expect(paths(e).sort()).toEqual(
      [
        "dry_run",
        "conflict_strategy",
        "records[1].external_id",
        "records[1].tags",
        "records[2]",
        "records[3].external_id",
        "records[3].address",
      ].sort(),
    );
  });

  test("a bad csv_url and a bad strategy are both reported", () => {
    expect(paths(errorOf({ csv_url: "nope", conflict_strategy: "x" })).sort()).toEqual(["conflict_strategy", "csv_url"]);
  });

  test("details are capped at 100", () => {
    const e = errorOf({ records: many(300, () => ({ first_name: "no id" })) });
    expect(e.code).toBe("invalid_payload");
    expect(e.details).toHaveLength(100);
    expect(e.details[0]).toEqual({ path: "records[0].external_id", message: "external_id is missing" });
    expect(e.details[99].path).toBe("records[99].external_id");
  });

  test("the message names the first problem", () => {
    expect(errorOf({ records: [{ external_id: "" }] }).message).toMatch(/records\[0\]\.external_id/);
  });
});

describe("bulkUpsertBodySchema (OpenAPI)", () => {
  test("converts to JSON Schema", () => {
    const schema = z.toJSONSchema(bulkUpsertBodySchema, { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as {
      properties: Record<string, { enum?: string[]; default?: string; items?: { required?: string[] } }>;
      additionalProperties: boolean;
    };
    expect(Object.keys(schema.properties).sort()).toEqual(["conflict_strategy", "csv_url", "dry_run", "records"]);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.conflict_strategy.enum).toEqual(["reject", "ignore"]);
    expect(schema.properties.conflict_strategy.default).toBe("reject");
    expect(schema.properties.records.items?.required).toEqual(["external_id"]);
  });

  test("agrees with parseBulkUpsertBody on ordinary bodies", () => {
    const good = [
      { records: [{ external_id: "a", first_name: "Ann", score: 1, subscription_sms: false, email: null }] },
      { records: [{ external_id: 12 }], conflict_strategy: "ignore" },
      { csv_url: "https://example.org/x.csv" },
    ];
    for (const body of good) {
      expect(() => parseBulkUpsertBody(body)).not.toThrow();
      expect(bulkUpsertBodySchema.safeParse(body).success).toBe(true);
    }
    const bad = [
      { records: [] },
      { records: [{ external_id: "a", x: {} }] },
      { records: [{ external_id: 1.5 }] },
      { records: [{ first_name: "x" }] },
      { csv_url: "ftp://example.org/x.csv" },
      { records: [{ external_id: "a" }], conflict_strategy: "merge" },
      { records: [{ external_id: "a" }], extra: 1 },
    ];
    for (const body of bad) {
      expect(() => parseBulkUpsertBody(body)).toThrow(AppError);
      expect(bulkUpsertBodySchema.safeParse(body).success).toBe(false);
    }
  });
});

describe("keys that could not be stored", () => {
  test("a key with a NUL character is a 400 naming the place", () => {
    const e = errorOf({ records: [{ external_id: "A", "na\u0000me": "x" }] });
    expect(e.code).toBe("invalid_payload");
    expect(e.details[0].path).toBe("records[0].na\\u0000me");
  });

  test("a key over 255 characters passes the check (it is that record's unknown_field)", () => {
    const records = [{ external_id: "A", ["k".repeat(256)]: "x" }, { external_id: "B" }];
    expect(parseBulkUpsertBody({ records }).records).toBe(records);
  });

  test("a long key that cannot be stored is still a 400, named short", () => {
    const e = errorOf({ records: [{ external_id: "A", [`${"k".repeat(300)}\u0000`]: "x" }] });
    expect(e.code).toBe("invalid_payload");
    expect(e.details[0].path).toBe(`records[0].${"k".repeat(57)}...`);
  });

  test("__proto__ and constructor keys pass the check (they are unknown fields, reported per record)", () => {
    const records = JSON.parse('[{"external_id":"A","__proto__":"x","constructor":"y"}]');
    expect(parseBulkUpsertBody({ records }).records![0]).toBe(records[0]);
    expect(Object.keys(records[0])).toContain("__proto__");
  });
});

test("the front server's warm-up body passes the check it warms up (else the front would start cold)", async () => {
  const { warmUpBulkUpsert } = await import("@/lib/http/bulk-upsert-endpoint");
  expect(() => warmUpBulkUpsert(1)).not.toThrow();
});
