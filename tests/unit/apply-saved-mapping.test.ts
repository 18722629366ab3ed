import { describe, expect, test } from "vitest";
import { applySavedMapping, headersMatched } from "@/lib/upload/apply-saved-mapping";

const saved = {
  columns: [
    { column: "Member No", field: "external_id" },
    { column: "E-mail", field: "email" },
    { column: "Joined", field: "joined" },
    { column: "Notes", field: "skip" },
  ],
  formats: { Joined: { date: "DD/MM/YYYY" }, "Member No": { keepZeros: true } },
};

describe("applySavedMapping", () => {
  test("columns are found by header wherever they now stand, with their formats", () => {
    const r = applySavedMapping(["Joined", "Notes", "Member No", "E-mail"], saved, ["skip", "skip", "skip", "skip"]);
    expect(r.mapping).toEqual(["joined", "skip", "external_id", "email"]);
    expect(r.formats).toEqual({ Joined: { date: "DD/MM/YYYY" }, "Member No": { keepZeros: true } });
    expect(r.unmatched).toEqual([]);
    expect(r.missing).toEqual([]);
  });

  test("a header written differently (case, spaces, punctuation) still matches, under the file's own name", () => {
    const r = applySavedMapping(["member no ", "EMAIL", "joined"], saved, ["skip", "skip", "skip"]);
    expect(r.mapping).toEqual(["external_id", "email", "joined"]);
    expect(r.formats).toEqual({ joined: { date: "DD/MM/YYYY" }, "member no ": { keepZeros: true } });
    expect(r.missing).toEqual(["Notes"]);
  });

  test("an exact header wins over a loose one", () => {
    const s = { columns: [{ column: "E-mail", field: "email" }, { column: "Email", field: "skip" }], formats: {} };
    expect(applySavedMapping(["Email", "E-mail"], s, ["skip", "skip"]).mapping).toEqual(["skip", "email"]);
  });

  test("columns it does not name keep the guess, unless that field is already taken; the user is told which", () => {
    const r = applySavedMapping(["Member No", "E-mail", "Mobile", "Email 2"], saved, ["external_id", "email", "phone_number", "email"]);
    expect(r.mapping).toEqual(["external_id", "email", "phone_number", "skip"]);
    expect(r.unmatched).toEqual(["Mobile", "Email 2"]);
    expect(r.missing).toEqual(["Joined", "Notes"]);
  });

  test("repeated headers are matched one to one, in order", () => {
    const s = { columns: [{ column: "Id", field: "external_id" }, { column: "Id", field: "skip" }], formats: {} };
    expect(applySavedMapping(["Id", "Id", "Id"], s, ["skip", "skip", "skip"])).toMatchObject({
      mapping: ["external_id", "skip", "skip"],
      unmatched: ["Id"],
    });
  });

  test("a header named __proto__ is an ordinary column", () => {
    const s = { columns: [{ column: "__proto__", field: "external_id" }], formats: JSON.parse('{"__proto__": {"x": 1}}') };
    const r = applySavedMapping(["__proto__"], s, ["skip"]);
    expect(r.mapping).toEqual(["external_id"]);
    expect(Object.getPrototypeOf(r.formats)).toBe(Object.prototype);
    expect(Object.keys(r.formats)).toEqual(["__proto__"]);
  });

  test("headersMatched counts exact header matches (to list fitting mappings first)", () => {
    expect(headersMatched(["Member No", "E-mail", "Other"], saved.columns)).toBe(2);
  });
});
