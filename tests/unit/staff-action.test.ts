// The server actions' one wrapper: who asks, then the input read by the
// action's schema, then the handler with that typed input and who asks as
// the audit log records them.
import { beforeEach, describe, expect, test, vi } from "vitest";
import { z } from "zod";
import type { StaffUser } from "@/lib/auth/staff-session";
import { AppError } from "@/lib/errors";

const session = vi.hoisted(() => ({ user: null as StaffUser | null }));
vi.mock("@/lib/auth/staff-session", () => ({ getStaffUser: async () => session.user, pendingStepMessage: (s: string) => `pending: ${s}` }));
// the request's address comes from Next.js's headers(), which only a request has
vi.mock("@/lib/http/audit-by", () => ({ staffAuditBy: async (user: StaffUser) => ({ actor: { type: "staff", id: user.id, name: user.email }, address: "203.0.113.9" }) }));

const { staffAction } = await import("@/lib/http/staff-action");

const staff: StaffUser = { id: "u-1", email: "s@example.org", name: "Sam", role: "staff", twoFactorEnabled: false, pending: null };
const admin: StaffUser = { ...staff, id: "u-2", role: "admin" };

const schema = z.object({ name: z.string().trim().min(1, "Give it a name"), sizes: z.array(z.number().int()).default([]) });

describe("staffAction", () => {
  const handler = vi.fn(async (input: z.output<typeof schema>, user: StaffUser) => ({ ...input, by: user.id }));
  beforeEach(() => {
    handler.mockClear();
    session.user = staff;
  });

  test("calls the handler with the input as the schema reads it, the user, and who asks for the audit log", async () => {
    const action = staffAction(schema, handler);
    expect(await action({ name: "  Branch  " })).toEqual({ ok: true, data: { name: "Branch", sizes: [], by: "u-1" } });
    expect(handler).toHaveBeenCalledWith({ name: "Branch", sizes: [] }, staff, { actor: { type: "staff", id: "u-1", name: "s@example.org" }, address: "203.0.113.9" });
  });

  test("bad input is invalid_payload naming each bad place; the handler is never called", async () => {
    const action = staffAction(schema, handler);
    const r = await action({ name: " ", sizes: [1, 2.5, "3"] } as never);
    expect(r).toEqual({
      ok: false,
      error: {
        code: "invalid_payload",
        message: "The payload's format is wrong: name Give it a name (and 2 more problems)",
        details: [
          { path: "name", message: "Give it a name" },
          { path: "sizes[1]", message: expect.any(String) },
          { path: "sizes[2]", message: expect.any(String) },
        ],
      },
    });
    expect(await action(undefined as never)).toMatchObject({ ok: false, error: { code: "invalid_payload", details: [{ path: "" }] } });
    expect(handler).not.toHaveBeenCalled();
  });

  test("signed out: unauthorized, before the input is looked at", async () => {
    session.user = null;
    const action = staffAction(schema, handler);
    for (const input of [{ name: "ok" }, { name: 7 }]) {
      expect(await action(input as never)).toEqual({
        ok: false,
        error: { code: "unauthorized", message: "Your session has ended: sign in again", details: [] },
      });
    }
    expect(handler).not.toHaveBeenCalled();
  });

  test("an admin action refuses staff and runs for an admin", async () => {
    const action = staffAction(schema, handler, { role: "admin" });
    expect(await action({ name: "x" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(handler).not.toHaveBeenCalled();
    session.user = admin;
    expect(await action({ name: "x" })).toEqual({ ok: true, data: { name: "x", sizes: [], by: "u-2" } });
  });

  test("a user with a pending step reaches only the actions that allow it", async () => {
    session.user = { ...staff, pending: "change-password" };
    expect(await staffAction(schema, handler)({ name: "x" })).toEqual({
      ok: false,
      error: { code: "forbidden", message: "pending: change-password", details: [] },
    });
    expect(handler).not.toHaveBeenCalled();
    expect(await staffAction(schema, handler, { allowPending: true })({ name: "x" })).toMatchObject({ ok: true, data: { name: "x" } });
  });

  test("the handler's domain error is shown as it is; anything else as internal_error", async () => {
    const refused = staffAction(z.void(), async () => {
      throw new AppError("already_exists", "Taken", { details: [{ path: "name", message: "taken" }] });
    });
    expect(await refused()).toEqual({ ok: false, error: { code: "already_exists", message: "Taken", details: [{ path: "name", message: "taken" }] } });
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = staffAction(z.void(), async () => {
      throw new Error("database gone");
    });
    expect(await broken()).toMatchObject({ ok: false, error: { code: "internal_error", details: [] } });
    expect(quiet).toHaveBeenCalled();
    quiet.mockRestore();
  });
});
