// When the wizard asks for a confirmation in so many words before "Start
// import" (docs/decisions: the contact guard). Pure: the preview page and the
// tests use it alike.

/** A share and a floor: both must be reached (a handful of changes in a small file is normal). */
export const GUARD_SHARE = 0.2;
export const GUARD_MIN = 10;

export type GuardInput = {
  /** Members the file matched that exist already (updated + unchanged). */
  matched: number;
  /** Rows in the file. */
  rows: number;
  /** field_changes of the preview: updated members whose email / phone changes (cleared included). */
  emailChanges: number;
  phoneChanges: number;
  /** Rows left out because their email or phone number is not valid (a sign of swapped columns). */
  invalidContactRows: number;
};

export type GuardReason =
  | { kind: "email"; count: number; statement: string }
  | { kind: "phone"; count: number; statement: string }
  | { kind: "invalid"; count: number; statement: string };

const big = (n: number, of: number) => n >= GUARD_MIN && n >= GUARD_SHARE * of;
const n = (x: number) => x.toLocaleString("en-GB");

/** What the user must confirm before the import starts; empty when nothing looks like a mistake. */
export function contactGuard(g: GuardInput): GuardReason[] {
  const out: GuardReason[] = [];
  if (big(g.emailChanges, g.matched)) {
    out.push({ kind: "email", count: g.emailChanges, statement: `I understand ${n(g.emailChanges)} members’ emails will change` });
  }
  if (big(g.phoneChanges, g.matched)) {
    out.push({ kind: "phone", count: g.phoneChanges, statement: `I understand ${n(g.phoneChanges)} members’ phone numbers will change` });
  }
  if (big(g.invalidContactRows, g.rows)) {
    out.push({
      kind: "invalid",
      count: g.invalidContactRows,
      statement: `I understand ${n(g.invalidContactRows)} rows will be left out because their email or phone number is not valid`,
    });
  }
  return out;
}
