// A number cell as Excel shows it, through its number format: 123 under
// "00000" is 00123, 0.5 under "0%" is 50%, a date serial is the date. Covers
// the formats member lists use (zero-padded ids, decimals, thousands,
// currency, percent, dates and times); anything else reads as General.
import { excelSerialToIso } from "../formats/dates";

/** Excel's built-in formats, by numFmtId. */
const BUILTIN: Record<number, string> = {
  0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
  14: "yyyy-mm-dd", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss",
  22: "yyyy-mm-dd h:mm", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;(#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;(#,##0.00)",
  45: "mm:ss", 46: "[h]:mm:ss", 47: "mm:ss.0", 48: "##0.0E+0", 49: "@",
};

export function builtinFormat(id: number): string {
  return BUILTIN[id] ?? "General";
}

/** General: the number itself, without floating-point noise (0.1+0.2 → 0.3). */
export function generalText(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
}

type Section = { prefix: string; pattern: string; suffix: string; kind: "number" | "date" | "time" | "text" | "general" };

/** One section of a format: literals around the placeholders, with quotes, escapes, [colours] and padding removed. */
function parseSection(src: string): Section {
  let prefix = "";
  let pattern = "";
  let suffix = "";
  let inPattern = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    let literal: string | null = null;
    if (ch === '"') {
      const end = src.indexOf('"', i + 1);
      literal = src.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? src.length : end;
    } else if (ch === "\\") literal = src[++i] ?? "";
    else if (ch === "[") {
      const end = src.indexOf("]", i);
      const inner = src.slice(i + 1, end < 0 ? undefined : end);
      if (/^(h+|m+|s+)$/i.test(inner)) pattern += inner; // elapsed time
      i = end < 0 ? src.length : end;
      continue;
    } else if (ch === "_") {
      i++;
      literal = " ";
    } else if (ch === "*") {
      i++;
      continue;
    } else if (/[0#?.,%Ee+\-/:ymdhsAPap@]/.test(ch) && !(ch === "-" && !inPattern) && !(ch === "+" && !inPattern)) {
      if (suffix) {
        pattern += suffix;
        suffix = "";
      }
      pattern += ch;
      inPattern = true;
      continue;
    } else literal = ch;
    if (inPattern) suffix += literal;
    else prefix += literal;
  }
  const p = pattern.toLowerCase();
  const kind: Section["kind"] =
    /^general$/i.test(src.trim()) || p === "" ? "general" : p.includes("@") ? "text" : /[yd]/.test(p) ? "date" : /[hs]/.test(p) ? "time" : /m/.test(p) ? "date" : /[0#?]/.test(p) ? "number" : "general";
  return { prefix, pattern, suffix, kind };
}

function splitSections(fmt: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i];
    if (ch === '"') {
      const end = fmt.indexOf('"', i + 1);
      const piece = fmt.slice(i, end < 0 ? undefined : end + 1);
      cur += piece;
      i = end < 0 ? fmt.length : end;
    } else if (ch === "\\") cur += ch + (fmt[++i] ?? "");
    else if (ch === ";") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function formatDigits(v: number, pattern: string): string {
  let x = v;
  if (pattern.includes("%")) x *= 100;
  const [intPart, fracAll = ""] = pattern.split(".");
  const fracPart = fracAll.split(/e/i)[0];
  const places = (fracPart.match(/[0#?]/g) ?? []).length;
  const minPlaces = (fracPart.match(/0/g) ?? []).length;
  if (/e\+/i.test(pattern)) return x.toExponential(places).toUpperCase().replace(/E\+?(-?)(\d)$/, "E+$10$2").replace("E+-", "E-");
  let text = x.toFixed(places);
  if (places > minPlaces) text = text.replace(/0+$/, (z) => z.slice(0, Math.max(0, z.length - (places - minPlaces)))).replace(/\.$/, "");
  const [digits, frac] = text.split(".");
  let whole = digits;
  const minInt = (intPart.match(/0/g) ?? []).length;
  if (whole === "0" && minInt === 0) whole = "";
  whole = whole.padStart(minInt, "0");
  if (intPart.includes(",")) whole = groupThousands(whole);
  return (whole || (frac ? "" : "0")) + (frac ? `.${frac}` : "") + (pattern.includes("%") ? "%" : "");
}

function timeOfDay(v: number, withSeconds: boolean): string {
  const secs = Math.round((v - Math.floor(v)) * 86_400) % 86_400;
  const hh = String(Math.floor(secs / 3600)).padStart(2, "0");
  const mm = String(Math.floor(secs / 60) % 60).padStart(2, "0");
  const ss = String(secs % 60).padStart(2, "0");
  return withSeconds ? `${hh}:${mm}:${ss}` : `${hh}:${mm}`;
}

/** Date serial → "YYYY-MM-DD" (1904-based workbooks count from 1 Jan 1904, without the 1900 bug). */
export function serialDate(v: number, date1904: boolean): string | null {
  return date1904 ? excelSerialToIso(Math.floor(v) + 1462) : excelSerialToIso(v);
}

/**
 * A number as Excel shows it under `format`. Dates are written YYYY-MM-DD
 * (what the date is, not the order the workbook's locale shows it in), with
 * the time after it when the format shows one and it is not midnight.
 */
export function formatNumber(v: number, format: string, date1904 = false): string {
  const sections = splitSections(format);
  const negative = v < 0 && sections.length > 1;
  const section = parseSection(v === 0 && sections.length > 2 ? sections[2] : negative ? sections[1] : sections[0]);
  const x = negative ? -v : v;
  switch (section.kind) {
    case "general":
    case "text":
      return section.prefix + generalText(v) + section.suffix;
    case "date": {
      const day = serialDate(x, date1904);
      if (!day) return generalText(v);
      const hasTime = /[hs]/i.test(section.pattern) && x !== Math.floor(x);
      return hasTime ? `${day} ${timeOfDay(x, /s/i.test(section.pattern))}` : day;
    }
    case "time":
      return timeOfDay(x, /s/i.test(section.pattern));
    case "number":
      return section.prefix + (v < 0 && !negative ? "-" : "") + formatDigits(Math.abs(x), section.pattern) + section.suffix;
  }
}
