// The field table (lib/fields.ts) is the one place a built-in field is
// described: the wizard's labels, the check's messages, the preview's
// counts and the patch's value types all come from it.
import { expect, expectTypeOf, test } from "vitest";
import { ATTRIBUTE_KEYS, BUILTIN_FIELDS, BUILTIN_KEYS, countOfField, fieldNoun, isBuiltinKey, SUBSCRIPTION_KEYS } from "@/lib/fields";
import { normaliseRecord, type TargetPatch } from "@/lib/records/normalise-record";
import { RowChecker } from "@/lib/upload/check-rows";

test("every built-in field has a key, a label, a noun in both numbers and a kind, once", () => {
  for (const f of BUILTIN_FIELDS) {
    expect(f.key).toMatch(/^[a-z_]+$/);
    expect(f.label.trim()).not.toBe("");
    expect(f.noun[0].trim()).not.toBe("");
    expect(f.noun[1]).not.toBe(f.noun[0]);
    expect(["id", "text", "email", "phone", "flag"]).toContain(f.kind);
  }
  expect(new Set(BUILTIN_KEYS).size).toBe(BUILTIN_FIELDS.length);
  expect(BUILTIN_KEYS[0]).toBe("external_id");
  expect(ATTRIBUTE_KEYS).toEqual(BUILTIN_KEYS.slice(1));
  expect(SUBSCRIPTION_KEYS).toEqual(["subscription_email", "subscription_sms", "subscription_phone", "subscription_whatsapp"]);
  expect(isBuiltinKey("email") && !isBuiltinKey("constructor") && !isBuiltinKey("branch")).toBe(true);
});

test("the patch's value types follow each field's kind", () => {
  expectTypeOf<TargetPatch["attrs"]>().toEqualTypeOf<
    Partial<{
      first_name: string | null;
      last_name: string | null;
      email: string | null;
      phone_number: string | null;
      subscription_email: boolean | null;
      subscription_sms: boolean | null;
      subscription_phone: boolean | null;
      subscription_whatsapp: boolean | null;
    }>
  >();
  // and at run time, each kind is read as the table says
  const r = normaliseRecord(
    { external_id: "K1", first_name: " Ada ", email: "ADA@example.org", phone_number: "07565000000", subscription_sms: "yes" },
    { catalog: new Map(), phoneRegion: "GB", source: "csv" },
  );
  expect(r).toMatchObject({ ok: true, patch: { attrs: { first_name: "Ada", phone_number: "+447565000000", subscription_sms: true } } });
});

test("the check's messages and the preview's counts name fields by the table's nouns", () => {
  const c = new RowChecker({ catalog: new Map([["branch_code", "float"]]), phoneRegion: "GB" });
  c.add(1, { external_id: "A", subscription_whatsapp: "perhaps", branch_code: "x", phone_number: "12" });
  const labels = c.summary().problems.map((p) => p.label).sort();
  expect(labels).toEqual(["invalid WhatsApp subscription", "invalid branch code", "invalid phone number"]);
  expect(fieldNoun("subscription_sms")).toBe("SMS subscription");
  expect(countOfField("email", 3112, new Map())).toBe("3,112 emails");
  expect(countOfField("subscription_sms", 1, new Map())).toBe("1 SMS subscription");
  expect(countOfField("branch", 2, new Map([["branch", "Branch"]]))).toBe("2 Branch values");
});
