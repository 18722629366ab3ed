// Dates as spreadsheets write them → the contract's "YYYY-MM-DD".
import type { DateOrder } from "./column-format";

const SLASHED = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const ISO_LIKE = /^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$/;
const NAMED = /^(\d{1,2})(?:st|nd|rd|th)?[ -]([A-Za-z]{3,9})\.?,?[ -](\d{4})$/;
/** An Excel serial day number, possibly with a time of day (the fraction, dropped). */
const SERIAL = /^\d{1,7}(?:\.\d+)?$/;
/** 9999-12-31, the last day Excel can show. */
const MAX_SERIAL = 2_958_465;

const MONTHS = new Map<string, number>();
["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"].forEach(
  (name, i) => {
    MONTHS.set(name, i + 1);
    MONTHS.set(name.slice(0, 3), i + 1);
  },
);
MONTHS.set("sept", 9);

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isReal(y: number, m: number, d: number): boolean {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  if (m === 2 && d === 29) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= DAYS_IN_MONTH[m - 1];
}

function iso(y: number, m: number, d: number): string | null {
  if (!isReal(y, m, d)) return null;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/**
 * Excel's serial day number → "YYYY-MM-DD". Excel counts 1900 as a leap
 * year (a bug kept from Lotus 1-2-3): serial 60 is 29 February 1900, a day
 * that never was, and every serial after it is one day ahead of the count
 * from 31 December 1899. Serial 60 and anything outside 1..2958465 → null.
 */
export function excelSerialToIso(serial: number): string | null {
  const day = Math.floor(serial);
  if (!(day >= 1 && day <= MAX_SERIAL) || day === 60) return null;
  // serials before the fake day count from 31 Dec 1899, later ones from 30 Dec 1899
  const ms = Date.UTC(1899, 11, day < 60 ? 31 : 30) + day * 86_400_000;
  const d = new Date(ms);
  return iso(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** A date written in `order` → "YYYY-MM-DD", or null when it is not one. */
export function parseDate(value: string, order: DateOrder): string | null {
  const v = value.trim();
  let m: RegExpExecArray | null;
  switch (order) {
    case "dmy":
    case "mdy":
      if (!(m = SLASHED.exec(v))) return null;
      return order === "dmy" ? iso(+m[3], +m[2], +m[1]) : iso(+m[3], +m[1], +m[2]);
    case "ymd":
      if (!(m = ISO_LIKE.exec(v))) return null;
      return iso(+m[1], +m[2], +m[3]);
    case "dmmmy": {
      if (!(m = NAMED.exec(v))) return null;
      const month = MONTHS.get(m[2].toLowerCase());
      return month ? iso(+m[3], month, +m[1]) : null;
    }
    case "excel":
      return SERIAL.test(v) ? excelSerialToIso(Number(v)) : null;
  }
}

/** How each order writes a date, as the wizard names it. */
export const DATE_WRITTEN: Record<DateOrder, string> = {
  dmy: "DD/MM/YYYY",
  mdy: "MM/DD/YYYY",
  ymd: "YYYY-MM-DD",
  dmmmy: "D MMM YYYY",
  excel: "Excel day number",
};

const SHAPE: Record<DateOrder, RegExp> = { dmy: SLASHED, mdy: SLASHED, ymd: ISO_LIKE, dmmmy: NAMED, excel: SERIAL };

/**
 * Why a value is not a date in `order`, in that order's terms: written so
 * but no real day ("31/02/2020" is not a real date (DD/MM/YYYY)), or not
 * written so at all. Null when it is one.
 */
export function dateProblem(value: string, order: DateOrder): string | null {
  if (parseDate(value, order) !== null) return null;
  const shown = JSON.stringify(value.trim());
  const written = DATE_WRITTEN[order];
  if (SHAPE[order].test(value.trim())) return `${shown} is not a real date (${written})`;
  return order === "excel" ? `${shown} is not an ${written}` : `${shown} is not a date written ${written}`;
}

/** What the whole of a column's values say about how its dates are written. */
export type DateEvidence = {
  /** d/m/yyyy with the first part over 12: only day-first reads it */
  dayFirst: number;
  /** with the second part over 12: only month-first reads it */
  monthFirst: number;
  /** both parts 12 or under: either order reads it */
  eitherOrder: number;
  ymd: number;
  named: number;
  serial: number;
};

export function emptyDateEvidence(): DateEvidence {
  return { dayFirst: 0, monthFirst: 0, eitherOrder: 0, ymd: 0, named: 0, serial: 0 };
}

export function addDateEvidence(e: DateEvidence, value: string): void {
  const v = value.trim();
  const m = SLASHED.exec(v);
  if (m) {
    const a = +m[1];
    const b = +m[2];
    if (a > 12 && b <= 12) e.dayFirst++;
    else if (b > 12 && a <= 12) e.monthFirst++;
    else if (a <= 12 && b <= 12) e.eitherOrder++;
    return;
  }
  if (ISO_LIKE.test(v)) e.ymd++;
  else if (NAMED.test(v)) e.named++;
  else if (SERIAL.test(v)) e.serial++;
}
