// Numbers as spreadsheets write them (£8, 1,234.50, 10,5) → the contract's
// decimal string ("8", "1234.50", "10.5"). Most values say which mark is their
// decimal one (12.50, 10,5, 1,234.5, 1.234.567); only one separator followed
// by exactly three digits (1,234 or 1.234) reads two ways, and only such a
// value takes the column's decimal mark (docs/decisions/024).

/** Currency symbols and spaces (incl. the no-break spaces of French exports) around or inside a number. */
const DECORATION = /[£$€\s\u00a0\u202f]/g;
const PLAIN = /^[+-]?\d+$/;
/** A decimal point, commas between thousands (a group of thousands never starts with 0). */
const DOT_DECIMAL = /^[+-]?(?:[1-9]\d{0,2}(?:,\d{3})+|\d+)(?:\.\d+)?$/;
/** A decimal comma, points between thousands. */
const COMMA_DECIMAL = /^[+-]?(?:[1-9]\d{0,2}(?:\.\d{3})+|\d+)(?:,\d+)?$/;
/** The only values both read: one separator then exactly three digits (1,234 or 1.234). */
const TWO_WAYS = /^[+-]?[1-9]\d{0,2}[.,]\d{3}$/;

function undecorate(value: string): string {
  return value.trim().replace(DECORATION, "");
}

function readWith(v: string, decimal: "." | ","): string {
  return decimal === "." ? v.replace(/,/g, "") : v.replace(/\./g, "").replace(",", ".");
}

/**
 * A number → a decimal string, or null when it is none. A value that says
 * its own decimal mark is read by it; `decimal` decides only for one that
 * reads two ways.
 */
export function parseNumber(value: string, decimal: "." | ","): string | null {
  const v = undecorate(value);
  if (TWO_WAYS.test(v)) return readWith(v, decimal);
  if (DOT_DECIMAL.test(v)) return readWith(v, ".");
  if (COMMA_DECIMAL.test(v)) return readWith(v, ",");
  return null;
}

/** What the whole of a column's values say about its decimal mark. */
export type NumberEvidence = {
  /** values only a decimal point reads (1.5, 1,234.5, 1,234,567) */
  dot: number;
  /** values only a decimal comma reads (10,5, 1.234,5, 1.234.567) */
  comma: number;
  /** values either reads, differently (1,234 or 1.234) */
  either: number;
  /** the first of those, as written, to ask about */
  eitherExample: string | null;
};

export function emptyNumberEvidence(): NumberEvidence {
  return { dot: 0, comma: 0, either: 0, eitherExample: null };
}

export function addNumberEvidence(e: NumberEvidence, value: string): void {
  const v = undecorate(value);
  if (v === "" || PLAIN.test(v)) return;
  if (TWO_WAYS.test(v)) {
    e.either++;
    e.eitherExample ??= value.trim();
  } else if (DOT_DECIMAL.test(v)) e.dot++;
  else if (COMMA_DECIMAL.test(v)) e.comma++;
}
