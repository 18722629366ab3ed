import type { StaffListEntry, StaffStatus } from "@/lib/staff/list-staff";
import { DataTable } from "@/components/data-table";
import { AccountActions } from "./account-actions";

const WHEN = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

const STATUS: Record<StaffStatus, string> = {
  active: "Active",
  disabled: "Disabled",
  "must-change-password": "Must choose a password at next sign-in",
  "no-password-yet": "No password yet (link not used)",
};

/** Every account with its security state at a glance, and what an admin can change. */
export function StaffTable({ accounts, selfId, unusedDays }: { accounts: StaffListEntry[]; selfId: string; unusedDays: number }) {
  return (
    <DataTable label="Staff accounts" columns={["Email", "Role", "Status", "Two-factor", "Last sign-in", "Change"]}>
      {accounts.map((a) => (
        <tr key={a.id} data-testid="staff-row">
          <td>
            {a.email}
            {a.id === selfId && " (you)"}
          </td>
          <td>{a.role === "admin" ? "Admin" : "Staff"}</td>
          <td>{STATUS[a.status]}</td>
          <td>{a.twoFactorEnabled ? "On" : "Off"}</td>
          <td>
            {a.lastSignInAt ? `${WHEN.format(a.lastSignInAt)} UTC` : "Never"}
            {a.unused && (
              <>
                {" "}
                <strong className="flag">Unused for {unusedDays} days</strong>
              </>
            )}
          </td>
          <td>
            <AccountActions account={a} self={a.id === selfId} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
