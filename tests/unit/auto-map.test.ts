import { expect, test } from "vitest";
import { autoMap, headerKey, headerSignature } from "@/lib/upload/auto-map";

test("messy headers match fields regardless of case, spaces and punctuation", () => {
  expect(
    autoMap(["Member Number", "Forename", "SURNAME", "E-mail", "Mobile", "SMS opt-in", "Branch", "Notes"], ["branch"]),
  ).toEqual(["external_id", "first_name", "last_name", "email", "phone_number", "subscription_sms", "branch", "skip"]);
});

test("exact keys and custom slugs match", () => {
  expect(autoMap(["external_id", "first_name", "phone_number", "join_date"], ["join_date"])).toEqual([
    "external_id",
    "first_name",
    "phone_number",
    "join_date",
  ]);
});

test("repeated headers are kept apart: only the first gets the field", () => {
  expect(autoMap(["Email", "email", "E-mail"], [])).toEqual(["email", "skip", "skip"]);
});

test("accents and odd characters are folded", () => {
  expect(headerKey("  Prénom_Émail ")).toBe("prenomemail");
  expect(autoMap(["Téléphone"], [])).toEqual(["phone_number"]);
  expect(autoMap(["Tel."], [])).toEqual(["phone_number"]);
});

test("the remembered-mapping signature depends on the headers and their order", () => {
  expect(headerSignature(["a", " b"])).toBe(headerSignature(["a", "b"]));
  expect(headerSignature(["a", "b"])).not.toBe(headerSignature(["b", "a"]));
});
