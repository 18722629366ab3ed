// The /staff list: each account's role, status and security state at a
// glance (two-factor, last sign-in, unused for 90 days), and whether it is
// the last active admin (the page then says why it cannot be changed).
import "server-only";
import type { Db } from "../db/client";
import { ACTIVE_ADMIN } from "./last-admin";

/** An account unused this long is flagged: its sign-in may be forgotten, or its owner gone. */
export const UNUSED_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

export type StaffStatus = "active" | "disabled" | "must-change-password" | "no-password-yet";

export type StaffListEntry = {
  id: string;
  email: string;
  role: "admin" | "staff";
  status: StaffStatus;
  twoFactorEnabled: boolean;
  lastSignInAt: Date | null;
  createdAt: Date;
  /** not signed in (or, never signed in, created) for UNUSED_DAYS */
  unused: boolean;
  lastActiveAdmin: boolean;
};

export async function listStaff(d: Db, now = new Date()): Promise<StaffListEntry[]> {
  const [rows, activeAdmins] = await Promise.all([
    d.prisma.staffUser.findMany({
      orderBy: { email: "asc" },
      select: {
        id: true,
        email: true,
        role: true,
        banned: true,
        twoFactorEnabled: true,
        mustChangePassword: true,
        lastSignInAt: true,
        createdAt: true,
        accounts: { where: { providerId: "credential", password: { not: null } }, select: { id: true } },
      },
    }),
    d.prisma.staffUser.findMany({ where: ACTIVE_ADMIN, select: { id: true }, take: 2 }),
  ]);
  const unusedBefore = now.getTime() - UNUSED_DAYS * DAY_MS;
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    role: r.role === "admin" ? "admin" : "staff",
    status: r.banned ? "disabled" : r.accounts.length === 0 ? "no-password-yet" : r.mustChangePassword ? "must-change-password" : "active",
    twoFactorEnabled: r.twoFactorEnabled === true,
    lastSignInAt: r.lastSignInAt,
    createdAt: r.createdAt,
    unused: (r.lastSignInAt ?? r.createdAt).getTime() < unusedBefore,
    lastActiveAdmin: activeAdmins.length === 1 && activeAdmins[0].id === r.id,
  }));
}
