import { expect, test } from "vitest";
import { contactGuard } from "@/lib/imports/contact-guard";

const base = { matched: 100, rows: 120, emailChanges: 0, phoneChanges: 0, invalidContactRows: 0 };

test("asks for a confirmation when at least 20% of matched members (and at least 10) change email or phone", () => {
  expect(contactGuard({ ...base, emailChanges: 19 })).toEqual([]);
  expect(contactGuard({ ...base, emailChanges: 20 })).toEqual([
    { kind: "email", count: 20, statement: "I understand 20 members’ emails will change" },
  ]);
  expect(contactGuard({ ...base, phoneChanges: 3112, matched: 4000 }).map((g) => g.statement)).toEqual([
    "I understand 3,112 members’ phone numbers will change",
  ]);
  // a small file: 9 of 9 is a normal correction
  expect(contactGuard({ ...base, matched: 9, emailChanges: 9 })).toEqual([]);
});

test("asks too when many rows are left out for an invalid email or phone (swapped columns)", () => {
  expect(contactGuard({ ...base, invalidContactRows: 24 }).map((g) => g.kind)).toEqual(["invalid"]);
  expect(contactGuard({ ...base, invalidContactRows: 23 })).toEqual([]);
});
