// A column's format: how the wizard reads what a spreadsheet wrote in it
// (UK dates, Y/N, £8, 10,5, a mobile without its 0) before the server's own
// rules check it. Conversion never loosens those rules: a value a format
// cannot read is sent as it was and rejected with the server's reason.
import { z } from "zod";
import { SUBSCRIPTION_KEYS, type CustomFieldKind } from "../fields";

export const DATE_ORDERS = ["dmy", "mdy", "ymd", "dmmmy", "excel"] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];

export const columnFormatSchema = z.discriminatedUnion("kind", [
  /** Sent as written. */
  z.object({ kind: z.literal("as-is") }),
  z.object({ kind: z.literal("date"), order: z.enum(DATE_ORDERS) }),
  /** `yes` / `no`: the values (trimmed, lower-case) that mean true / false; "" is a blank cell. */
  z.object({ kind: z.literal("flag"), yes: z.string().max(100), no: z.string().max(100) }),
  /** The decimal mark; the other of "." and "," separates thousands. */
  z.object({ kind: z.literal("number"), decimal: z.enum([".", ","]) }),
  /** The region a national number (no +country code) is read in. */
  z.object({ kind: z.literal("phone"), region: z.string().regex(/^[A-Z]{2}$/) }),
]);
export type ColumnFormat = z.infer<typeof columnFormatSchema>;

/** Regions offered for a phone column (the server's own comes first). */
export const COMMON_REGIONS = ["GB", "IE", "US", "CA", "AU", "NZ", "FR", "DE", "ES", "PT", "IT", "NL", "BE", "PL", "IN", "ZA"];

export const AS_IS: ColumnFormat = { kind: "as-is" };

/** Which family of formats a field takes (null: none, sent as written). */
export type FormatFamily = "date" | "flag" | "number" | "phone";

export function formatFamily(field: string, catalog: ReadonlyMap<string, CustomFieldKind | string>): FormatFamily | null {
  if (field === "phone_number") return "phone";
  if ((SUBSCRIPTION_KEYS as readonly string[]).includes(field)) return "flag";
  const kind = catalog.get(field);
  if (kind === "date") return "date";
  if (kind === "float") return "number";
  return null;
}

/** A format fits a family (a saved or remembered format may not fit a column's new field). */
export function fitsFamily(format: ColumnFormat, family: FormatFamily | null): boolean {
  if (format.kind === "as-is") return true;
  return format.kind === family;
}
