// An admin changes a setting: the new value and its audit entry
// ("setting_changed", from → to) in one transaction; saving the value it
// already has changes nothing and records nothing.
import "server-only";
import type { AuditBy } from "../audit/audit-actor";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { getSetting, putSetting, type AppSettingKey, type AppSettingValue } from "./app-settings";

/** Whether the value changed. */
export async function changeSetting<K extends AppSettingKey>(d: Db, by: AuditBy, key: K, value: AppSettingValue<K>): Promise<boolean> {
  return d.prisma.$transaction(async (tx) => {
    const before = await getSetting(tx, key);
    if (before === value) return false;
    await putSetting(tx, key, value);
    await recordAudit(tx, { ...by, action: "setting_changed", subjectType: "setting", subject: key, detail: { from: before, to: value } });
    return true;
  });
}

/**
 * "Require two-factor for every staff account". An admin turns it on only
 * once their own account has it: otherwise the setting would at once send
 * them, too, to set it up before any other page.
 */
export async function setRequireTwoFactor(d: Db, by: AuditBy, admin: { twoFactorEnabled: boolean }, value: boolean): Promise<boolean> {
  if (value && !admin.twoFactorEnabled) {
    throw new AppError("forbidden", "Set up two-factor sign-in for your own account first (on Your account), then require it of everyone");
  }
  return changeSetting(d, by, "requireTwoFactor", value);
}
