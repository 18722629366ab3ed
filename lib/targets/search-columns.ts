// What the members list reads instead of a target's own columns (decision
// 025), computed with every write of a target: its names folded, its id and
// email folded where folding changes them, and its four flags as one number.
import { SUBSCRIPTION_KEYS, type SubscriptionKey } from "../fields";
import { foldForSearch, isAscii } from "./search-fold";
import type { TargetState } from "./target-state";

export const SEARCH_COLUMNS = ["search_id", "search_first", "search_last", "search_email", "flag_code"] as const;

/** A flag's value in the members filter: yes, no, or never set. */
export type FlagValue = "yes" | "no" | "unknown";
const DIGIT: Readonly<Record<FlagValue, number>> = { unknown: 0, no: 1, yes: 2 };
const FLAG_CODES = 3 ** SUBSCRIPTION_KEYS.length;

function digitOf(value: unknown): number {
  return value === null || value === undefined ? DIGIT.unknown : value ? DIGIT.yes : DIGIT.no;
}

/** The four flags as one base-3 number, the first flag the lowest digit. */
export function flagCode(attrs: TargetState["attrs"]): number {
  let code = 0;
  for (let i = SUBSCRIPTION_KEYS.length - 1; i >= 0; i--) code = code * 3 + digitOf(attrs[SUBSCRIPTION_KEYS[i]]);
  return code;
}

/** Every flag code with the flags given set as given (the others any value). */
export function flagCodesWith(wanted: Partial<Record<SubscriptionKey, FlagValue>>): number[] {
  const codes: number[] = [];
  for (let code = 0; code < FLAG_CODES; code++) {
    let rest = code;
    let ok = true;
    for (const key of SUBSCRIPTION_KEYS) {
      const digit = rest % 3;
      rest = Math.floor(rest / 3);
      const want = wanted[key];
      if (want !== undefined && DIGIT[want] !== digit) ok = false;
    }
    if (ok) codes.push(code);
  }
  return codes;
}

/** The folded value, or null where it is the value itself (searched through the value's own index). */
function foldedIfDifferent(value: string | null): string | null {
  if (value === null) return null;
  const folded = foldForSearch(value);
  return folded === value ? null : folded;
}

/**
 * An id's folded copy, or null where the id is found through the primary
 * key itself: ASCII in one case ("M0001", "ab12", "0042"), which the search
 * reads as the query folded, and in capitals (lib/targets/search-targets.ts).
 * Most member numbers are so, and then cost no entry of the copy's index.
 */
export function foldedId(id: string): string | null {
  return isAscii(id) && (id === id.toUpperCase() || id === id.toLowerCase()) ? null : foldForSearch(id);
}

/** The search columns of a target, in SEARCH_COLUMNS order. */
export function searchColumnValues(t: TargetState): [string | null, string, string, string | null, number] {
  const text = (v: unknown) => (typeof v === "string" ? v : null);
  return [
    foldedId(t.externalId),
    foldForSearch(text(t.attrs.first_name) ?? ""),
    foldForSearch(text(t.attrs.last_name) ?? ""),
    foldedIfDifferent(text(t.attrs.email)),
    flagCode(t.attrs),
  ];
}
