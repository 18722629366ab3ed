import { expect, test } from "vitest";
import { RowChecker } from "@/lib/upload/check-rows";

test("counts rows per problem with examples, the server's rules, and repeats", () => {
  const c = new RowChecker({ catalog: new Map([["score", "float"]]), phoneRegion: "GB" });
  const rows: Record<string, string>[] = [
    { external_id: "M1", email: "a@example.org", phone_number: "07565000000", score: "1.5" },
    { external_id: "", email: "b@example.org", phone_number: "", score: "" },
    { external_id: "M3", email: "not-an-email", phone_number: "123", score: "x" },
    { external_id: "M4", email: "nope", phone_number: "", score: "" },
    { external_id: "M1", email: "", phone_number: "", score: "" },
  ];
  rows.forEach((r, i) => c.add(i + 1, r));
  const s = c.summary();
  expect(s.rowsChecked).toBe(5);
  expect(s.rowsWithProblems).toBe(3);
  const byKey = Object.fromEntries(s.problems.map((p) => [p.key, p]));
  expect(byKey["invalid_email:email"].rows).toBe(2);
  expect(byKey["invalid_email:email"].label).toBe("invalid email");
  expect(byKey["invalid_email:email"].examples.map((e) => e.row)).toEqual([3, 4]);
  expect(byKey["invalid_phone_number:phone_number"].rows).toBe(1);
  expect(byKey["invalid_value:score"].rows).toBe(1);
  expect(byKey["invalid_value:external_id"].rows).toBe(1);
  expect(byKey["repeated_external_id"]).toMatchObject({ rows: 1, examples: [{ row: 5, externalId: "M1" }] });
  expect([...c.rejectedRows()].sort()).toEqual([2, 3, 4]);
  expect(s.problems[0].key).toBe("invalid_email:email"); // most frequent first
  expect(s.rowsInConflict).toBe(0);
});

test("an email or phone set by another member's earlier row is flagged as a likely conflict", () => {
  const c = new RowChecker({ catalog: new Map(), phoneRegion: "GB" });
  c.add(1, { external_id: "A", email: "x@example.org", phone_number: "07565000000" });
  c.add(2, { external_id: "A", email: "X@example.org" }); // the same member again: no conflict
  c.add(3, { external_id: "B", email: "x@example.org", phone_number: "+447565000000" });
  const s = c.summary();
  expect(s.rowsInConflict).toBe(1);
  expect(s.rowsWithProblems).toBe(0);
  const keys = Object.fromEntries(s.problems.map((p) => [p.key, p]));
  expect(keys.shared_email.examples[0]).toMatchObject({ row: 3, externalId: "B", message: "x@example.org is also on row 1 (A)" });
  expect(keys.shared_phone_number.rows).toBe(1);
});
