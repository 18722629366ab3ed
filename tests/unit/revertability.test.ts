import { expect, test } from "vitest";
import type { DeferredResult } from "@/lib/imports/deferred-result";
import { revertability } from "@/lib/imports/revertability";

const ready: DeferredResult = {
  id: "j1",
  status: "ready",
  dry_run: false,
  revertible: true,
  conflict_strategy: "reject",
  source: "upload",
  reverted_by: null,
  created_at: "2026-01-01T00:00:00.000Z",
  started_at: null,
  finished_at: null,
  progress: { processed: 1, total: 1 },
  details_expired_at: null,
  error: null,
};

test("the import page says why an import cannot be undone", () => {
  expect(revertability(ready)).toEqual({ can: true });
  expect(revertability({ ...ready, dry_run: true })).toMatchObject({ can: false, why: expect.stringContaining("preview") });
  expect(revertability({ ...ready, status: "failed" })).toMatchObject({ why: expect.stringContaining("nothing of it was saved") });
  expect(revertability({ ...ready, status: "running" })).toMatchObject({ why: expect.stringContaining("once it has finished") });
  expect(revertability({ ...ready, source: "revert", reverted_by: undefined, reverts: "j0" })).toMatchObject({
    why: "This cannot be undone: it is itself an undo, and an undo cannot itself be undone.",
  });
  expect(revertability({ ...ready, reverted_by: "r1" })).toEqual({ can: false, revertedBy: "r1" });
  expect(revertability({ ...ready, details_expired_at: "2026-02-01T00:00:00.000Z" })).toMatchObject({
    why: expect.stringContaining("can no longer be undone"),
  });
});
