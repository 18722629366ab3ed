// How the members search compares text (decision 025): case and accents
// ignored, so "sian" finds "Siân" and "LUKASZ" finds "Łukasz". Stored folded
// beside each target (lib/targets/search-columns.ts) and applied to the
// query the same way, in JavaScript, so both databases compare the same
// strings in the same (code point) order. Pure: safe for the browser.

/** Letters that carry no combining mark to strip but are read as plain ones. */
const PLAIN: Readonly<Record<string, string>> = { ß: "ss", æ: "ae", œ: "oe", ø: "o", ł: "l", đ: "d", ð: "d", þ: "th", ı: "i", ħ: "h", ŧ: "t" };
const NOT_PLAIN = /[ßæœøłđðþıħŧ]/g;

/** Text with nothing to decompose: folding it is lowering it. */
export const isAscii = (text: string): boolean => /^[\x00-\x7f]*$/.test(text);

/** Lower case, compatibility-decomposed, without combining marks. */
export function foldForSearch(text: string): string {
  // most names, ids and emails: nothing to decompose (a fifth of the cost)
  if (isAscii(text)) return text.toLowerCase();
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(NOT_PLAIN, (c) => PLAIN[c]);
}

/**
 * The least string above every string that starts with `prefix`, in code
 * point order (SQLite's BINARY, PostgreSQL's "C"): a prefix search is then
 * the range [prefix, upper). Null: no string is above them all.
 */
export function prefixUpperBound(prefix: string): string | null {
  const points = [...prefix];
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      // surrogates cannot be stored: the next point after them
      const next = last === 0xd7ff ? 0xe000 : last + 1;
      return points.join("") + String.fromCodePoint(next);
    }
  }
  return null;
}
