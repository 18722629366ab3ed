// The format suggested for a column from what the whole column says, and the
// choices offered beside it. When the column cannot tell (03/04/2020 only,
// 1,234 only, two values neither of which is "yes"), no format is suggested:
// the wizard asks.
import { AS_IS, COMMON_REGIONS, DATE_ORDERS, type ColumnFormat, type DateOrder, type FormatFamily } from "./column-format";
import type { ColumnStats } from "./column-stats";
import { DATE_WRITTEN } from "./dates";
import { STANDARD_FLAG_VALUES } from "./flags";
import { parseNumber } from "./numbers";

export type FormatChoice = { label: string; format: ColumnFormat };
export type Suggestion = {
  /** null: the column cannot tell; the user must choose */
  format: ColumnFormat | null;
  /** Why the user must choose (when format is null), in words a user reads. */
  question?: string;
  choices: FormatChoice[];
};

export const DATE_LABELS: Record<DateOrder, string> = {
  dmy: `${DATE_WRITTEN.dmy} (day first, as in the UK)`,
  mdy: `${DATE_WRITTEN.mdy} (month first, as in the US)`,
  ymd: DATE_WRITTEN.ymd,
  dmmmy: `${DATE_WRITTEN.dmmmy} (15 Jan 2020)`,
  excel: "Excel day numbers (43845)",
};

/** "1 row", "3,112 rows". */
const rows = (n: number) => `${n.toLocaleString("en-GB")} ${n === 1 ? "row" : "rows"}`;

function suggestDate(s: ColumnStats): Suggestion {
  const choices = DATE_ORDERS.map((order) => ({ label: DATE_LABELS[order], format: { kind: "date", order } as ColumnFormat }));
  const e = s.dates;
  const slashed = e.dayFirst + e.monthFirst + e.eitherOrder;
  const best = Math.max(slashed, e.ymd, e.named, e.serial);
  const date = (order: DateOrder): Suggestion => ({ format: { kind: "date", order }, choices });
  if (best === 0) return date("dmy"); // nothing to go on: the UK default, and nothing it changes
  if (best === slashed) {
    if (e.dayFirst > 0 && e.monthFirst === 0) return date("dmy");
    if (e.monthFirst > 0 && e.dayFirst === 0) return date("mdy");
    const question =
      e.dayFirst > 0
        ? `Some dates here have the day first (${rows(e.dayFirst)}, like 15/01/2020) and some the month first (${rows(e.monthFirst)}, like 01/15/2020). Choose how to read them; dates that do not fit are rejected.`
        : "Every date here could be day/month or month/day (like 03/04/2020). Choose how to read them.";
    return { format: null, question, choices };
  }
  if (best === e.ymd) return date("ymd");
  if (best === e.named) return date("dmmmy");
  return date("excel");
}

/**
 * Each value that says its own decimal mark (12.50, 10,5, 1,234.5) is read
 * by it; the choice only reads values like 1,234 (thousands, or a decimal
 * comma). The column's other values settle it when they all use one mark;
 * otherwise the wizard asks, once.
 */
function suggestNumber(s: ColumnStats): Suggestion {
  const { dot, comma, either, eitherExample } = s.numbers;
  if (either === 0) return { format: { kind: "number", decimal: "." }, choices: [] };
  const example = eitherExample ?? "1,234";
  const [asDot, asComma] = [parseNumber(example, "."), parseNumber(example, ",")];
  const choices: FormatChoice[] = [
    { label: `decimal point: “${example}” is ${asDot}`, format: { kind: "number", decimal: "." } },
    { label: `decimal comma: “${example}” is ${asComma}`, format: { kind: "number", decimal: "," } },
  ];
  if (comma > 0 && dot === 0) return { format: choices[1].format, choices };
  if (dot > 0 && comma === 0) return { format: choices[0].format, choices };
  return {
    format: null,
    question: `${either === 1 ? `“${example}”` : `${either.toLocaleString("en-GB")} values here, like “${example}”,`} can be read two ways: ${asDot} or ${asComma}. Choose the decimal mark.`,
    choices,
  };
}

const quote = (v: string) => (v === "" ? "blank" : `“${v}”`);

function suggestFlag(s: ColumnStats): Suggestion {
  const choices: FormatChoice[] = [{ label: "yes/no, true/false or 1/0, as written", format: AS_IS }];
  const other = Object.keys(s.flagValues).filter((k) => !STANDARD_FLAG_VALUES.has(k));
  const pair = (yes: string, no: string): FormatChoice => ({ label: `${quote(yes)} means yes, ${quote(no)} means no`, format: { kind: "flag", yes, no } });
  if (other.length === 0) return { format: AS_IS, choices };
  if (other.every((k) => k === "y" || k === "n")) {
    choices.push(pair("y", "n"));
    return { format: choices[1].format, choices };
  }
  if (other.length === 1) {
    // ticked/blank: one mark, blanks for no
    choices.push(pair(other[0], ""));
    return { format: choices[1].format, choices };
  }
  if (other.length === 2 && !s.moreFlagValues) {
    choices.push(pair(other[0], other[1]), pair(other[1], other[0]));
    return { format: null, question: `Which of ${quote(other[0])} and ${quote(other[1])} means yes?`, choices };
  }
  return { format: AS_IS, choices }; // many values: the check lists the ones it cannot read
}

function suggestPhone(s: ColumnStats, serverRegion: string): Suggestion {
  const regions = [serverRegion, ...COMMON_REGIONS.filter((r) => r !== serverRegion)];
  const choices = regions.map((region) => ({ label: `numbers without +country code are in ${region}`, format: { kind: "phone", region } as ColumnFormat }));
  return { format: { kind: "phone", region: s.phoneRegion ?? serverRegion }, choices };
}

export function suggestFormat(family: FormatFamily | null, stats: ColumnStats, serverRegion: string): Suggestion {
  switch (family) {
    case "date":
      return suggestDate(stats);
    case "number":
      return suggestNumber(stats);
    case "flag":
      return suggestFlag(stats);
    case "phone":
      return suggestPhone(stats, serverRegion);
    case null:
      return { format: AS_IS, choices: [] };
  }
}
