import { describe, expect, test } from "vitest";
import { z } from "zod";
import {
  normaliseExternalId,
  normaliseRecord,
  type NormaliseOptions,
  type NormaliseResult,
  type RecordProblem,
  type TargetPatch,
} from "@/lib/records/normalise-record";
import type { CustomFieldKind, FieldCatalog } from "@/lib/fields";

const catalog: FieldCatalog = new Map<string, CustomFieldKind>([
  ["member_no", "text"],
  ["score", "float"],
  ["joined_on", "date"],
]);
const json: NormaliseOptions = { catalog, phoneRegion: "GB", source: "json" };
const csv: NormaliseOptions = { catalog, phoneRegion: "GB", source: "csv" };

function patchOf(result: NormaliseResult): TargetPatch {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.problems)}`);
  return result.patch;
}
function problemsOf(result: NormaliseResult): RecordProblem[] {
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.patch)}`);
  return result.problems;
}
const attr = (key: string, value: unknown, opts = json) =>
  patchOf(normaliseRecord({ external_id: "A1", [key]: value }, opts)).attrs[key as keyof TargetPatch["attrs"]];
const customValue = (key: string, value: unknown, opts = json) =>
  patchOf(normaliseRecord({ external_id: "A1", [key]: value }, opts)).custom[key];
const onlyProblem = (key: string, value: unknown, opts = json) => {
  const problems = problemsOf(normaliseRecord({ external_id: "A1", [key]: value }, opts));
  expect(problems).toHaveLength(1);
  expect(problems[0].field).toBe(key);
  expect(problems[0].message.length).toBeGreaterThan(10);
  return problems[0];
};

describe("normaliseExternalId", () => {
  test.each([
    ["MemNo1", "MemNo1"],
    ["  MemNo1\t", "MemNo1"],
    ["memno1", "memno1"],
    ["007", "007"],
    [42, "42"],
    [0, "0"],
    [-7, "-7"],
    [Number.MAX_SAFE_INTEGER, "9007199254740991"],
    ["x".repeat(255), "x".repeat(255)],
    ["12345678901234567890123", "12345678901234567890123"],
  ])("%j becomes %j", (input, expected) => {
    expect(normaliseExternalId(input)).toEqual({ ok: true, value: expected });
  });

  test.each([
    ["empty", ""],
    ["blank", "   "],
    ["too long", "x".repeat(256)],
    ["256 characters between spaces", ` ${"x".repeat(256)} `],
    ["a float", 1.5],
    ["a boolean", true],
    ["null", null],
    ["undefined", undefined],
    ["an object", { id: 1 }],
    ["an array", ["a"]],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
  ])("refuses %s", (_name, input) => {
    const r = normaliseExternalId(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/external_id/);
  });

  test("an integer beyond 2^53 - 1 is refused with advice to send a string", () => {
    for (const big of [Number.MAX_SAFE_INTEGER + 1, 2 ** 60, 1e21]) {
      const r = normaliseExternalId(big);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/as a string/);
    }
  });

  test("trailing spaces inside the 255 limit are fine", () => {
    expect(normaliseExternalId(` ${"x".repeat(255)} `)).toEqual({ ok: true, value: "x".repeat(255) });
  });
});

describe("normaliseRecord: a whole record", () => {
  test("a full record is normalised into attrs and custom", () => {
    const r = normaliseRecord(
      {
        external_id: " MemNo1 ",
        first_name: "  Ann ",
        last_name: "Lee",
        email: " Ann.Lee@Example.ORG ",
        phone_number: "07565000000",
        subscription_email: true,
        subscription_sms: "no",
        subscription_phone: "1",
        subscription_whatsapp: false,
        member_no: "00123",
        score: "1.5",
        joined_on: "2024-02-29",
      },
      json,
    );
    expect(r).toEqual({
      ok: true,
      patch: {
        externalId: "MemNo1",
        attrs: {
          first_name: "Ann",
          last_name: "Lee",
          email: "ann.lee@example.org",
          phone_number: "+447565000000",
          subscription_email: true,
          subscription_sms: false,
          subscription_phone: true,
          subscription_whatsapp: false,
        },
        custom: { member_no: "00123", score: 1.5, joined_on: "2024-02-29" },
      },
    });
  });

  test("only external_id: nothing to change", () => {
    expect(normaliseRecord({ external_id: 17 }, json)).toEqual({
      ok: true,
      patch: { externalId: "17", attrs: {}, custom: {} },
    });
  });

  test("a missing external_id is a problem, reported first", () => {
    const problems = problemsOf(normaliseRecord({ email: "bad", first_name: "Ann" }, json));
    expect(problems.map((p) => [p.code, p.field])).toEqual([
      ["invalid_value", "external_id"],
      ["invalid_email", "email"],
    ]);
  });

  test("an empty external_id (e.g. an empty CSV cell) is invalid_value, not 'unchanged'", () => {
    const r = normaliseRecord({ external_id: "  ", first_name: "Ann" }, csv);
    expect(r).toEqual({
      ok: false,
      externalId: null,
      problems: [{ code: "invalid_value", field: "external_id", message: expect.stringMatching(/empty/) }],
    });
  });

  test("a non-safe integer external_id is refused", () => {
    const problems = problemsOf(normaliseRecord({ external_id: 2 ** 53 + 2 }, json));
    expect(problems).toEqual([{ code: "invalid_value", field: "external_id", message: expect.stringMatching(/string/) }]);
  });

  test("every problem of a record is reported, one per problem, in key order", () => {
    const r = normaliseRecord(
      {
        external_id: "A1",
        nickname: "Annie",
        email: "not-an-email",
        phone_number: "123",
        subscription_sms: "maybe",
        first_name: "Ann",
        score: "lots",
        joined_on: "2023-02-29",
        Email: "x@y.org",
        last_name: { a: 1 },
      },
      json,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.externalId).toBe("A1");
    expect(r.problems.map((p) => [p.code, p.field])).toEqual([
      ["unknown_field", "nickname"],
      ["invalid_email", "email"],
      ["invalid_phone_number", "phone_number"],
      ["invalid_value", "subscription_sms"],
      ["invalid_value", "score"],
      ["invalid_value", "joined_on"],
      ["unknown_field", "Email"],
      ["invalid_value", "last_name"],
    ]);
    for (const p of r.problems) expect(p.message).toMatch(/\w+ \w+/);
  });

  test("an invalid external_id in its key position, after earlier keys", () => {
    const problems = problemsOf(normaliseRecord({ email: "bad", external_id: "", first_name: "x".repeat(256) }, json));
    expect(problems.map((p) => p.field)).toEqual(["email", "external_id", "first_name"]);
  });

  test("the input record is not changed", () => {
    const raw = { external_id: " A1 ", email: " A@B.org ", score: "2" };
    const copy = structuredClone(raw);
    normaliseRecord(raw, json);
    expect(raw).toEqual(copy);
  });

  test("a key inherited from Object.prototype is neither read nor a flag value", () => {
    const problems = problemsOf(normaliseRecord({ external_id: "A1", subscription_sms: "constructor", toString: "x" }, json));
    expect(problems.map((p) => [p.code, p.field])).toEqual([
      ["invalid_value", "subscription_sms"],
      ["unknown_field", "toString"],
    ]);
    const proto = problemsOf(normaliseRecord(JSON.parse('{"external_id":"A1","__proto__":"x"}'), json));
    expect(proto.map((p) => [p.code, p.field])).toEqual([["unknown_field", "__proto__"]]);
  });

  test("a custom field named constructor is read like any other", () => {
    const withConstructor = new Map<string, CustomFieldKind>([...catalog, ["constructor", "date"]]);
    const patch = patchOf(normaliseRecord({ external_id: "A1", constructor: "2020-02-29" }, { ...json, catalog: withConstructor }));
    expect(Object.entries(patch.custom)).toEqual([["constructor", "2020-02-29"]]);
  });

  test("a key over 255 characters is unknown_field, named in 255 characters", () => {
    const key = "k".repeat(256);
    const [p] = problemsOf(normaliseRecord({ external_id: "A1", [key]: "v" }, json));
    expect(p).toEqual({ code: "unknown_field", field: `${"k".repeat(252)}...`, message: expect.stringContaining("256 characters") });
    expect(problemsOf(normaliseRecord({ external_id: "A1", ["k".repeat(255)]: "v" }, json))[0].field).toBe("k".repeat(255));
    // never cut inside a surrogate pair (the half left could not be stored)
    const emoji = problemsOf(normaliseRecord({ external_id: "A1", [`${"k".repeat(251)}😀${"k".repeat(10)}`]: "v" }, json))[0];
    expect(emoji.field).toBe(`${"k".repeat(251)}...`);
    expect(emoji.field!.isWellFormed() && emoji.message.isWellFormed()).toBe(true);
  });
});

describe("email", () => {
  test.each([
    ["ann@example.org", "ann@example.org"],
    ["  Ann@Example.ORG  ", "ann@example.org"],
    ["ANN.LEE+tag@EXAMPLE.CO.UK", "ann.lee+tag@example.co.uk"],
    ["o'neil@example.ie", "o'neil@example.ie"],
  ])("%j is stored as %j", (input, expected) => {
    expect(attr("email", input)).toBe(expected);
  });

  test("emails that differ only in case normalise to the same value", () => {
    expect(attr("email", "Ann@Example.org")).toBe(attr("email", "ann@EXAMPLE.ORG"));
  });

  test.each(["not-an-email", "ann@", "@example.org", "ann@example", "ann example@x.org", "ann@@example.org", "ann@exa mple.org", 12, true])(
    "%j is invalid_email",
    (input) => {
      const p = onlyProblem("email", input);
      expect(p.code).toBe("invalid_email");
      expect(p.message).toContain(typeof input === "string" ? JSON.stringify(input) : String(input));
      expect(p.message).toMatch(/not a valid email address/);
    },
  );

  test("the example message of the contract", () => {
    expect(onlyProblem("email", "not-an-email").message).toBe('"not-an-email" is not a valid email address');
  });

  test("accepts exactly what zod's z.email() accepts (after trimming and lower-casing)", () => {
    const schema = z.email();
    const samples = [
      "a@b.co", "a.b@c.de", "a..b@c.de", ".a@b.co", "a.@b.co", "a@b.c", "a@-b.co", "a@b-.co", "a_b@c.io", "a+b@c.io",
      "a'b@c.io", "a@b.c0", "a@1.com", "é@b.co", "a@bé.co", "a@b..co", "a@[1.2.3.4]", "\"a\"@b.co", "a b@c.co", "a@b.co.",
    ];
    for (const s of samples) {
      const ours = normaliseRecord({ external_id: "A1", email: s }, json).ok;
      expect([s, ours]).toEqual([s, schema.safeParse(s.trim().toLowerCase()).success]);
    }
  });

  test("an email over 255 characters is invalid_email", () => {
    expect(onlyProblem("email", `${"a".repeat(250)}@example.org`).code).toBe("invalid_email");
  });
});

describe("phone_number", () => {
  test.each([
    ["07565000000", "+447565000000"],
    ["+447565000000", "+447565000000"],
    [" 07565 000 000 ", "+447565000000"],
    ["+44 (0)7565 000000", "+447565000000"],
    ["07565-000-000", "+447565000000"],
    ["0044 7565 000000", "+447565000000"],
    ["020 7946 0018", "+442079460018"],
    ["+12025550143", "+12025550143"],
    ["+1 202 555 0143", "+12025550143"],
    ["+33 6 12 34 56 78", "+33612345678"],
  ])("%j is stored as %j", (input, expected) => {
    expect(attr("phone_number", input)).toBe(expected);
  });

  test("the default region decides how a national number is read", () => {
    expect(attr("phone_number", "0612345678", { ...json, phoneRegion: "FR" })).toBe("+33612345678");
    expect(attr("phone_number", "07565000000", { ...json, phoneRegion: "GB" })).toBe("+447565000000");
    expect(attr("phone_number", "+447565000000", { ...json, phoneRegion: "FR" })).toBe("+447565000000");
    expect(attr("phone_number", "0612345678", { ...json, phoneRegion: "FR" })).toBe("+33612345678");
  });

  test.each([
    ["garbage", "not a number"],
    ["too short", "123"],
    ["too long", "075650000000000"],
    ["one digit short", "0756500000"],
    ["all zeros", "00000000000"],
    ["a number range not in use", "+44 1632 960000"],
    ["text around the number", "call 07565000000"],
    ["letters after", "07565000000abc"],
    ["a bare plus", "+"],
    ["an extension (E.164 cannot hold it)", "07565000000 ext. 123"],
    ["a boolean", true],
    ["a very long string", "0".repeat(100_000)],
  ])("%s is invalid_phone_number", (_name, input) => {
    expect(onlyProblem("phone_number", input).code).toBe("invalid_phone_number");
  });

  test("a JSON number is invalid_phone_number: numbers lose leading zeros", () => {
    const p = onlyProblem("phone_number", 7565000000);
    expect(p.code).toBe("invalid_phone_number");
    expect(p.message).toMatch(/text/);
    expect(p.message).toMatch(/leading zero/);
    expect(onlyProblem("phone_number", 447565000000).code).toBe("invalid_phone_number");
  });

  test("a number read again, straight after itself or after another, gives the same answer", () => {
    expect(attr("phone_number", "07565 111222")).toBe("+447565111222");
    for (let i = 0; i < 3; i++) {
      expect(attr("phone_number", "07565 111222")).toBe("+447565111222");
      expect(onlyProblem("phone_number", "0756511122").code).toBe("invalid_phone_number");
    }
  });

  test("an unknown default region is a configuration error, not a record problem", () => {
    expect(() => normaliseRecord({ external_id: "a", phone_number: "07565000000" }, { ...json, phoneRegion: "XX" })).toThrow(/XX/);
  });
});

describe("first_name, last_name and text custom fields", () => {
  test.each([
    ["  Ann  ", "Ann"],
    ["Ann Marie", "Ann Marie"],
    [42, "42"],
    [1.5, "1.5"],
    [true, "true"],
    [false, "false"],
    ["00123", "00123"],
    ["x".repeat(255), "x".repeat(255)],
  ])("%j is stored as %j", (input, expected) => {
    expect(attr("first_name", input)).toBe(expected);
    expect(attr("last_name", input)).toBe(expected);
    expect(customValue("member_no", input)).toBe(expected);
  });

  test("leading zeros and case survive in text custom fields", () => {
    expect(customValue("member_no", "000123")).toBe("000123");
    expect(customValue("member_no", "AbC")).toBe("AbC");
  });

  test.each(["first_name", "last_name", "member_no"])("%s over 255 characters is invalid_value", (key) => {
    const p = onlyProblem(key, "y".repeat(256));
    expect(p.code).toBe("invalid_value");
    expect(p.message).toMatch(/255/);
  });

  test("the 255 limit applies after trimming", () => {
    expect(attr("first_name", `  ${"y".repeat(255)}  `)).toBe("y".repeat(255));
  });
});

describe("subscription flags", () => {
  const flags = ["subscription_email", "subscription_sms", "subscription_phone", "subscription_whatsapp"];
  test.each([
    [true, true],
    [false, false],
    ["true", true],
    ["TRUE", true],
    ["True", true],
    ["yes", true],
    ["YES", true],
    ["Yes", true],
    ["1", true],
    [" yes ", true],
    ["false", false],
    ["FALSE", false],
    ["False", false],
    ["no", false],
    ["NO", false],
    ["No", false],
    ["0", false],
    ["\t0 ", false],
  ])("%j is %j", (input, expected) => {
    for (const key of flags) {
      expect(attr(key, input)).toBe(expected);
      expect(attr(key, input, csv)).toBe(expected);
    }
  });

  test.each([1, 0, 2, "y", "n", "on", "off", "2", "truee", "yes please", "t", "f", "constructor"])("%j is invalid_value", (input) => {
    for (const key of flags) expect(onlyProblem(key, input).code).toBe("invalid_value");
  });
});

describe("float custom fields", () => {
  test.each([
    [1.1, 1.1],
    [1, 1],
    [-2.5, -2.5],
    [0, 0],
    ["1.5", 1.5],
    ["-2", -2],
    ["+3", 3],
    ["1e3", 1000],
    ["1E-2", 0.01],
    [".5", 0.5],
    ["  42 ", 42],
    ["007", 7],
  ])("%j is %j", (input, expected) => {
    expect(customValue("score", input)).toBe(expected);
  });

  test.each(["abc", "1,5", "1.5.2", "1 000", "0x10", "Infinity", "-Infinity", "NaN", "1e", "e3", "--1", "1e400", "12abc", true, false])(
    "%j is invalid_value",
    (input) => {
      expect(onlyProblem("score", input).code).toBe("invalid_value");
    },
  );

  test("a non-finite number is invalid_value", () => {
    expect(onlyProblem("score", Number.POSITIVE_INFINITY).code).toBe("invalid_value");
    expect(onlyProblem("score", Number.NaN).code).toBe("invalid_value");
  });

  test("a decimal string of up to 255 characters is a number; a longer one is invalid_value", () => {
    expect(customValue("score", `${"0".repeat(98)}1.5`)).toBe(1.5);
    expect(customValue("score", `-${"0".repeat(250)}12.5`)).toBe(-12.5);
    expect(customValue("score", `1.${"5".repeat(253)}`)).toBe(1.5555555555555556);
    expect(customValue("score", ` ${"0".repeat(252)}2.5 `)).toBe(2.5); // 255 once trimmed
    expect(onlyProblem("score", `${"0".repeat(253)}2.5`).message).toMatch(/255/);
  });

  test("the decimal check is linear: 10,000 strings of 255 characters that fail at the end take milliseconds", () => {
    const values = ["1".repeat(254) + "x", "1".repeat(253) + "e", "." + "1".repeat(253) + "."];
    let refused = 0;
    const t0 = performance.now();
    for (let i = 0; i < 10_000; i++) if (!normaliseRecord({ external_id: "A1", score: values[i % values.length] }, json).ok) refused++;
    const ms = performance.now() - t0;
    expect(refused).toBe(10_000);
    expect(ms).toBeLessThan(200);
  });
});

describe("date custom fields", () => {
  test.each(["2024-02-29", "2000-02-29", "2023-12-31", "1999-01-01", " 2024-01-31 ", "0001-01-01", "9999-12-31"])("%j is a real date", (input) => {
    expect(customValue("joined_on", input)).toBe(input.trim());
  });

  test.each([
    "2023-02-29",
    "1900-02-29",
    "2024-02-30",
    "2024-04-31",
    "2024-13-01",
    "2024-00-10",
    "2024-01-00",
    "2024-01-32",
    "0000-01-01",
    "2024-1-5",
    "24-01-05",
    "2024/01/05",
    "05/01/2024",
    "2024-01-05T00:00:00Z",
    "yesterday",
    20240105,
    true,
  ])("%j is invalid_value", (input) => {
    expect(onlyProblem("joined_on", input).code).toBe("invalid_value");
  });
});

describe("unknown keys", () => {
  test("a key neither built in nor a custom field slug is unknown_field, one per key", () => {
    const problems = problemsOf(normaliseRecord({ external_id: "A1", nickname: "x", favourite_colour: null, Score: 1 }, json));
    expect(problems).toEqual([
      { code: "unknown_field", field: "nickname", message: expect.stringContaining("nickname") },
      { code: "unknown_field", field: "favourite_colour", message: expect.stringContaining("favourite_colour") },
      { code: "unknown_field", field: "Score", message: expect.stringContaining("Score") },
    ]);
  });

  test("a custom field is known only when it is in the catalog", () => {
    expect(normaliseRecord({ external_id: "A1", score: 1 }, { ...json, catalog: new Map() }).ok).toBe(false);
    expect(normaliseRecord({ external_id: "A1", score: 1 }, json).ok).toBe(true);
  });
});

describe("objects and arrays", () => {
  test.each(["first_name", "email", "phone_number", "subscription_sms", "member_no", "score", "joined_on"])(
    "an object or array in %s is invalid_value",
    (key) => {
      expect(onlyProblem(key, { a: 1 }).code).toBe("invalid_value");
      expect(onlyProblem(key, [1, 2]).code).toBe("invalid_value");
    },
  );
});

describe("clearing: JSON null and \"\" clear, an empty CSV cell leaves unchanged", () => {
  const keys = [
    "first_name",
    "last_name",
    "email",
    "phone_number",
    "subscription_email",
    "subscription_sms",
    "subscription_phone",
    "subscription_whatsapp",
  ];
  const customKeys = ["member_no", "score", "joined_on"];

  test.each([null, "", "   "])("JSON %j clears every attribute and custom field", (blank) => {
    const raw: Record<string, unknown> = { external_id: "A1" };
    for (const k of [...keys, ...customKeys]) raw[k] = blank;
    const patch = patchOf(normaliseRecord(raw, json));
    expect(patch.attrs).toEqual(Object.fromEntries(keys.map((k) => [k, null])));
    expect(patch.custom).toEqual(Object.fromEntries(customKeys.map((k) => [k, null])));
  });

  test.each(["", "  ", "\t"])("a CSV cell %j leaves every attribute and custom field unchanged", (blank) => {
    const raw: Record<string, unknown> = { external_id: "A1" };
    for (const k of [...keys, ...customKeys]) raw[k] = blank;
    const patch = patchOf(normaliseRecord(raw, csv));
    expect(patch).toEqual({ externalId: "A1", attrs: {}, custom: {} });
    for (const k of keys) expect(Object.hasOwn(patch.attrs, k)).toBe(false);
  });

  test("a key that is absent leaves the attribute unchanged", () => {
    const patch = patchOf(normaliseRecord({ external_id: "A1", first_name: "Ann" }, json));
    expect(patch.attrs).toEqual({ first_name: "Ann" });
    expect("email" in patch.attrs).toBe(false);
  });

  test("CSV values are read like JSON strings", () => {
    expect(
      patchOf(
        normaliseRecord(
          { external_id: "A1", email: "Ann@Example.org", phone_number: "07565000000", subscription_sms: "Yes", score: "2.5", joined_on: "2024-02-29", member_no: "007" },
          csv,
        ),
      ),
    ).toEqual({
      externalId: "A1",
      attrs: { email: "ann@example.org", phone_number: "+447565000000", subscription_sms: true },
      custom: { score: 2.5, joined_on: "2024-02-29", member_no: "007" },
    });
  });

  test("a CSV row with bad values reports them", () => {
    const problems = problemsOf(normaliseRecord({ external_id: "A1", email: "nope", subscription_sms: "maybe" }, csv));
    expect(problems.map((p) => p.code)).toEqual(["invalid_email", "invalid_value"]);
  });
});

describe("hostile values are judged at once, and alike on both databases", () => {
  const timed = (fn: () => unknown) => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };

  test("a float of 200,000 digits then x is refused in milliseconds (it once took seconds)", () => {
    const value = "1".repeat(200_000) + "x";
    let result: NormaliseResult | undefined;
    const ms = timed(() => (result = normaliseRecord({ external_id: "A1", score: value }, json)));
    expect(problemsOf(result!)[0]).toMatchObject({ code: "invalid_value", field: "score" });
    expect(ms).toBeLessThan(50);
  });

  test.each([
    ["first_name", "text"],
    ["email", "email"],
    ["phone_number", "phone"],
    ["subscription_sms", "flag"],
    ["score", "float"],
    ["joined_on", "date"],
    ["member_no", "custom text"],
  ])("a 1 MB %s (%s) is refused in milliseconds", (key) => {
    for (const value of ["9".repeat(1_000_000), "a".repeat(1_000_000) + "@x.org", "+" + "1".repeat(1_000_000)]) {
      let result: NormaliseResult | undefined;
      const ms = timed(() => (result = normaliseRecord({ external_id: "A1", [key]: value }, csv)));
      expect(result!.ok).toBe(false);
      expect(ms).toBeLessThan(100);
    }
  });

  test.each([
    ["first_name", "invalid_value"],
    ["member_no", "invalid_value"],
    ["email", "invalid_email"],
    ["phone_number", "invalid_phone_number"],
    ["subscription_email", "invalid_value"],
    ["score", "invalid_value"],
    ["joined_on", "invalid_value"],
  ])("a NUL character in %s is a %s problem of that record, not a database error", (key, code) => {
    const value = key === "phone_number" ? "07400\u0000123456" : key === "email" ? "a\u0000b@example.org" : "1\u0000";
    const problems = problemsOf(normaliseRecord({ external_id: "A1", [key]: value }, json));
    expect(problems).toEqual([expect.objectContaining({ code, field: key })]);
    expect(problems[0].message).not.toContain("\u0000");
  });

  test("a NUL character in external_id is refused", () => {
    expect(normaliseExternalId("A\u00001")).toMatchObject({ ok: false, message: expect.stringMatching(/NUL/) });
  });
});
