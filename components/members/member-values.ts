// How the member's page shows a field and its values: built-in fields by the
// field table's labels (as the wizard and the fields page name them), custom
// fields by their label in the catalogue.
import { BUILTIN_FIELDS } from "@/lib/fields";

const BUILTIN_LABEL = new Map<string, string>(BUILTIN_FIELDS.map((f) => [f.key, f.label]));

export function fieldLabel(key: string, customLabels: ReadonlyMap<string, string>): string {
  return BUILTIN_LABEL.get(key) ?? customLabels.get(key) ?? key;
}

/** A value in the history's before and after columns. */
export function shownValue(v: string | number | boolean | null): string {
  if (v === null) return "(empty)";
  if (typeof v === "boolean") return v ? "Yes" : "No";
  return String(v);
}

const WHEN = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** "6 Dec 2026, 23:05 UTC", as an import's page says when it started. */
export const whenText = (iso: string) => `${WHEN.format(new Date(iso))} UTC`;
