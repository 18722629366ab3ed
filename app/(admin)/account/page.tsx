import { ChangePasswordForm } from "@/components/account/change-password-form";
import { EndOtherSessions, EndSession } from "@/components/account/session-buttons";
import { TwoFactorPanel } from "@/components/account/two-factor-panel";
import { DataTable } from "@/components/data-table";
import { listOwnSessions } from "@/lib/auth/own-sessions";
import { currentRequestHeaders, pendingStepMessage, requireStaffUser } from "@/lib/auth/staff-session";
import { db } from "@/lib/db/client";
import { getSetting } from "@/lib/settings/app-settings";

export const dynamic = "force-dynamic";
export const metadata = { title: "Your account · Target import" };

const when = (d: Date) => `${d.toLocaleString("en-GB", { timeZone: "UTC" })} UTC`;

// Every signed-in staff user, for their own account only; the one page a
// user with a pending step reaches (lib/auth/staff-session.ts).
export default async function AccountPage() {
  const user = await requireStaffUser({ allowPending: true });
  const [sessions, required] = await Promise.all([listOwnSessions(await currentRequestHeaders()), getSetting(db(), "requireTwoFactor")]);
  const others = sessions.filter((s) => !s.current).length;
  return (
    <main>
      <h1>Your account</h1>
      <p>
        Signed in as <strong>{user.email}</strong> ({user.role}).
      </p>
      {user.pending && (
        <p className="note" role="status" data-testid="pending-step">
          {pendingStepMessage(user.pending).replace(" (on Your account)", "")}: the other pages open once you have.
        </p>
      )}

      <section aria-labelledby="password-heading">
        <h2 id="password-heading">Password</h2>
        <ChangePasswordForm />
      </section>

      <section aria-labelledby="two-factor-heading">
        <h2 id="two-factor-heading">Two-factor sign-in</h2>
        <TwoFactorPanel enabled={user.twoFactorEnabled} required={required} />
      </section>

      <section aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Where you are signed in</h2>
        <DataTable label="Your sessions" columns={["Device", "Address", "Last seen", <span key="end" className="visually-hidden">Sign out</span>]}>
          {sessions.map((s) => (
            <tr key={s.id}>
              <td>{s.device}</td>
              <td>{s.address ?? "Unknown"}</td>
              <td>{when(s.lastSeen)}</td>
              <td>{s.current ? "This session" : <EndSession id={s.id} device={`${s.device} (${s.address ?? "unknown address"})`} />}</td>
            </tr>
          ))}
        </DataTable>
        {others > 0 && (
          <div className="stack">
            <EndOtherSessions />
          </div>
        )}
      </section>
    </main>
  );
}
