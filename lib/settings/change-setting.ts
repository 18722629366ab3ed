// An admin changes a setting: the new value and its audit entry
// ("setting_changed", from → to) in one transaction; saving the value it
// already has changes nothing and records nothing.
import "server-only";
import type { AuditActor } from "../audit/audit-entry";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { getSetting, putSetting, type AppSettingKey, type AppSettingValue } from "./app-settings";

type By = { actor: AuditActor; address: string | null };

/** Whether the value changed. */
export async function changeSetting<K extends AppSettingKey>(d: Db, by: By, key: K, value: AppSettingValue<K>): Promise<boolean> {
  return d.prisma.$transaction(async (tx) => {
    const before = await getSetting(tx, key);
    if (before === value) return false;
    await putSetting(tx, key, value);
    await recordAudit(tx, { ...by, action: "setting_changed", subjectType: "setting", subject: key, detail: { from: before, to: value } });
    return true;
  });
}
