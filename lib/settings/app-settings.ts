// Settings an admin changes in the app, one row each in app_setting (the
// value as JSON), read through their zod schema so a missing or unreadable
// row reads as the default.
import "server-only";
import { z } from "zod";
import { prismaOf, type Db, type Tx } from "../db/client";

export const APP_SETTINGS = {
  /** "Require two-factor for every staff account" (issue 19). */
  requireTwoFactor: z.boolean().default(false),
} as const;
export type AppSettingKey = keyof typeof APP_SETTINGS;
export type AppSettingValue<K extends AppSettingKey> = z.output<(typeof APP_SETTINGS)[K]>;

export async function getSetting<K extends AppSettingKey>(d: Db | Tx, key: K): Promise<AppSettingValue<K>> {
  const row = await prismaOf(d).appSetting.findUnique({ where: { key } });
  let raw: unknown = undefined;
  if (row) {
    try {
      raw = JSON.parse(row.value);
    } catch {
      raw = undefined;
    }
  }
  const parsed = APP_SETTINGS[key].safeParse(raw);
  return (parsed.success ? parsed.data : APP_SETTINGS[key].parse(undefined)) as AppSettingValue<K>;
}

/** Writes a setting (callers record the change in the audit log, in the same transaction where they have one). */
export async function putSetting<K extends AppSettingKey>(d: Db | Tx, key: K, value: AppSettingValue<K>): Promise<void> {
  const v = JSON.stringify(APP_SETTINGS[key].parse(value));
  await prismaOf(d).appSetting.upsert({ where: { key }, create: { key, value: v }, update: { value: v } });
}
