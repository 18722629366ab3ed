import { requireStaffUser } from "@/lib/auth/staff-session";
import { db } from "@/lib/db/client";
import { listStaff, UNUSED_DAYS } from "@/lib/staff/list-staff";
import { CreateAccountForm } from "@/components/staff/create-account-form";
import { StaffTable } from "@/components/staff/staff-table";

export const metadata = { title: "Staff · Target import" };
export const dynamic = "force-dynamic";

// Admins only: the accounts, their security state, and every change to them.
export default async function StaffPage() {
  const user = await requireStaffUser({ role: "admin" });
  const accounts = await listStaff(db());
  const unused = accounts.filter((a) => a.unused && a.status !== "disabled").length;
  const withoutTwoFactor = accounts.filter((a) => !a.twoFactorEnabled && a.status !== "disabled").length;
  return (
    <main>
      <h1>Staff</h1>
      <p>
        Who can sign in to this app. Disabling an account signs it out everywhere at once; a password reset gives a one-time link,
        shown once, that works for 24 hours.
      </p>
      <p data-testid="staff-summary">
        {withoutTwoFactor === 0 ? "Every active account uses two-factor sign-in." : `${withoutTwoFactor} active account${withoutTwoFactor === 1 ? "" : "s"} without two-factor sign-in.`}{" "}
        {unused === 0 ? "" : `${unused} active account${unused === 1 ? "" : "s"} unused for ${UNUSED_DAYS} days: disable ${unused === 1 ? "it" : "them"} if no longer needed.`}
      </p>
      <h2>New account</h2>
      <CreateAccountForm />
      <h2>Accounts</h2>
      <StaffTable accounts={accounts} selfId={user.id} unusedDays={UNUSED_DAYS} />
    </main>
  );
}
