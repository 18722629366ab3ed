"use client";

import { useState, useTransition } from "react";
import {
  changeStaffRoleAction,
  deleteStaffAccountAction,
  disableStaffAccountAction,
  enableStaffAccountAction,
  resetStaffPasswordAction,
  resetTwoFactorAction,
} from "@/lib/actions/staff";
import type { ActionResult } from "@/lib/http/action-result";
import type { StaffListEntry } from "@/lib/staff/list-staff";
import { ActionButton } from "@/components/action-button";
import { OneTimeLink } from "./one-time-link";

type Account = Pick<StaffListEntry, "id" | "email" | "role" | "status" | "twoFactorEnabled" | "lastActiveAdmin">;

/**
 * One account's buttons on /staff. The last active admin gets none that
 * would take the role away, and the row says why; an admin cannot disable
 * or delete their own account. Each action's refusal shows beside them.
 */
export function AccountActions({ account, self }: { account: Account; self: boolean }) {
  const [busy, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [link, setLink] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const { id, email } = account;
  const run = <T,>(action: () => Promise<ActionResult<T>>, onDone?: (data: T) => void) =>
    startTransition(async () => {
      setError(null);
      setLink(null);
      const r = await action();
      if (r.ok) onDone?.(r.data);
      else setError(r.error.message);
    });
  const disabled = account.status === "disabled";
  const keep = account.lastActiveAdmin;
  const canRemove = !keep && !self;
  return (
    <div className="account-actions" role="group" aria-label={`Change ${email}`}>
      {keep && <p className="hint">The last active admin: make another account an admin before making this one staff, disabling or deleting it.</p>}
      {account.role === "staff" ? (
        <ActionButton disabled={busy} onClick={() => run(() => changeStaffRoleAction({ id, role: "admin" }))}>
          Make admin
        </ActionButton>
      ) : (
        !keep && (
          <ActionButton disabled={busy} onClick={() => run(() => changeStaffRoleAction({ id, role: "staff" }))}>
            Make staff
          </ActionButton>
        )
      )}
      {disabled ? (
        <ActionButton disabled={busy} onClick={() => run(() => enableStaffAccountAction({ id }))}>
          Enable
        </ActionButton>
      ) : (
        canRemove && (
          <ActionButton disabled={busy} onClick={() => run(() => disableStaffAccountAction({ id }))}>
            Disable
          </ActionButton>
        )
      )}
      <ActionButton
        disabled={busy}
        onClick={() => run(() => resetStaffPasswordAction({ id }), (data) => setLink(data.link))}
      >
        Reset password
      </ActionButton>
      {account.twoFactorEnabled && (
        <ActionButton disabled={busy} onClick={() => run(() => resetTwoFactorAction({ id }))}>
          Reset two-factor
        </ActionButton>
      )}
      {canRemove &&
        (confirmDelete ? (
          <span role="group" aria-label={`Confirm deleting ${email}`}>
            {email} will be signed out and cannot sign in again.{" "}
            <button type="button" className="danger" disabled={busy} onClick={() => run(() => deleteStaffAccountAction({ id }))}>
              Yes, delete
            </button>{" "}
            <button type="button" disabled={busy} onClick={() => setConfirmDelete(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <ActionButton className="danger" disabled={busy} onClick={() => setConfirmDelete(true)}>
            Delete…
          </ActionButton>
        ))}
      {link && <OneTimeLink path={link} email={email} />}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
