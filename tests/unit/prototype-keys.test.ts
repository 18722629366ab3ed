// Counting and naming by keys a user chooses (custom field slugs), where a
// key may be named like a property every plain object seems to hold.
import { describe, expect, test } from "vitest";
import { applyRecords, WorkingSet } from "@/lib/merge/apply-records";
import { blankTarget } from "@/lib/targets/target-state";
import type { NormaliseResult } from "@/lib/records/normalise-record";
import { countOfField } from "@/lib/fields";

const update = (externalId: string, custom: Record<string, string | number | null>, attrs = {}): NormaliseResult => ({
  ok: true,
  patch: { externalId, attrs, custom },
});

describe("field_changes of a batch", () => {
  test("a slug named constructor is counted beside the other fields, clears too", () => {
    const ws = new WorkingSet();
    ws.addStored({ ...blankTarget("D"), custom: { constructor: "2020-02-29", branch: "North" } });
    ws.addStored({ ...blankTarget("E"), custom: { constructor: "2020-01-01" } });
    const { counts, fieldChanges, fieldClears } = applyRecords(
      [update("D", { constructor: "2021-03-01", branch: "South" }), update("E", { constructor: null }, { first_name: "Eve" })],
      0,
      "reject",
      ws,
    );
    expect(counts.updated).toBe(2);
    expect(Object.fromEntries(fieldChanges)).toEqual({ first_name: 1, constructor: 2, branch: 1 });
    expect(Object.fromEntries(fieldClears)).toEqual({ constructor: 1 });
  });

  test("a slug never changed is not counted, whatever its name", () => {
    const ws = new WorkingSet();
    ws.addStored(blankTarget("D"));
    const { fieldChanges } = applyRecords([update("D", { branch: "North" })], 0, "reject", ws);
    expect([...fieldChanges]).toEqual([["branch", 1]]);
    expect(fieldChanges.has("constructor")).toBe(false);
  });
});

describe("the preview's words for a field", () => {
  test.each([
    ["constructor", 2, "2 Joined values"],
    ["toString", 1, "1 toString value"],
    ["valueOf", 3, "3 valueOf values"],
    ["email", 3, "3 emails"],
  ])("%s, %i", (key, count, words) => {
    expect(countOfField(key, count, new Map([["constructor", "Joined"]]))).toBe(words);
  });
});
