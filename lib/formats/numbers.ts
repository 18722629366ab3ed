// Numbers as spreadsheets write them (£8, 1,234.50, 10,5) → the contract's
// decimal string ("8", "1234.50", "10.5").

/** Currency symbols and spaces (incl. the no-break spaces of French exports) around or inside a number. */
const DECORATION = /[£$€\s\u00a0\u202f]/g;
const PLAIN = /^[+-]?\d+$/;
const DOT_DECIMAL = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;
const COMMA_DECIMAL = /^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$/;
/** One separator then exactly three digits (1,234 or 1.234): a thousands separator or a decimal mark. */
const THREE_AFTER = /^[+-]?\d{1,3}[.,]\d{3}$/;

function undecorate(value: string): string {
  return value.trim().replace(DECORATION, "");
}

/** A number written with `decimal` as its decimal mark → a decimal string, or null. */
export function parseNumber(value: string, decimal: "." | ","): string | null {
  const v = undecorate(value);
  if (decimal === ".") return DOT_DECIMAL.test(v) ? v.replace(/,/g, "") : null;
  return COMMA_DECIMAL.test(v) ? v.replace(/\./g, "").replace(",", ".") : null;
}

/** What the whole of a column's values say about its decimal mark. */
export type NumberEvidence = {
  /** values only a decimal point reads (1.5, 1,234.5, 1,234,567) */
  dot: number;
  /** values only a decimal comma reads (10,5, 1.234,5, 1.234.567) */
  comma: number;
  /** values either reads, differently (1,234 or 1.234) */
  either: number;
};

export function emptyNumberEvidence(): NumberEvidence {
  return { dot: 0, comma: 0, either: 0 };
}

export function addNumberEvidence(e: NumberEvidence, value: string): void {
  const v = undecorate(value);
  if (v === "" || PLAIN.test(v)) return;
  if (THREE_AFTER.test(v)) {
    e.either++;
    return;
  }
  const dot = DOT_DECIMAL.test(v);
  const comma = COMMA_DECIMAL.test(v);
  if (dot && !comma) e.dot++;
  else if (comma && !dot) e.comma++;
}
