// Yes/no columns as spreadsheets write them (Y/N, a tick or an x beside
// blanks, Member/Lapsed) → "true" / "false".

/** What the server reads as yes/no already. */
export const STANDARD_FLAG_VALUES = new Set(["true", "false", "yes", "no", "1", "0"]);

/** A cell's value as flags compare it. */
export function flagKey(value: string): string {
  return value.trim().toLowerCase();
}

/** The value of a cell under a flag format: "true", "false", or null when it is neither. */
export function parseFlag(value: string, yes: string, no: string): "true" | "false" | null {
  const k = flagKey(value);
  if (k === yes) return "true";
  if (k === no) return "false";
  return null;
}
