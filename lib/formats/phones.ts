// Phone numbers in a column's own region → E.164, which the server reads the
// same whatever its default region.
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";

/** Digits only, no leading 0 or +: a national number (maybe one whose leading 0 Excel dropped). */
const BARE_DIGITS = /^[1-9]\d{6,12}$/;

export function isRegion(region: string): region is CountryCode {
  return isSupportedCountry(region);
}

/** Whether a value is written with its country (+44…, 0044…): no region changes how it reads. */
export function isInternational(value: string): boolean {
  const v = value.trim();
  return v.startsWith("+") || v.startsWith("00");
}

/**
 * A phone number read in `region` → E.164, or null when it is not valid
 * there. Digits without their leading 0 (a spreadsheet took it for a
 * number) are read with the 0 put back when they are not valid as they are.
 */
export function parsePhone(value: string, region: string): string | null {
  if (!isRegion(region)) return null;
  const v = value.trim();
  if (v.length > 64) return null;
  const read = (s: string) => {
    const p = parsePhoneNumberFromString(s, { defaultCountry: region, extract: false });
    return p && p.isValid() && !p.ext ? p.number : null;
  };
  return read(v) ?? (BARE_DIGITS.test(v) ? read(`0${v}`) : null);
}

/**
 * Whether a column format needs to touch a value at all: an international
 * number, or a national number in the server's own region that is not bare
 * digits, reads the same on the server. (Parsing is the costly step of a
 * check; a million numbers in the server's region are not parsed twice.)
 */
export function phoneNeedsConversion(value: string, region: string, serverRegion: string): boolean {
  if (isInternational(value)) return false;
  return region !== serverRegion || BARE_DIGITS.test(value.trim());
}

/**
 * The region most of a column's national numbers are valid in: the
 * server's own unless another reads strictly more of them. (Run on the
 * column's first distinct values, in the worker: the metadata is large.)
 */
export function guessRegion(samples: readonly string[], serverRegion: string): string {
  const national = samples.filter((v) => !isInternational(v));
  let best = serverRegion;
  let bestValid = -1;
  for (const region of [serverRegion, "GB", "IE", "US"]) {
    const valid = national.filter((v) => parsePhone(v, region) !== null).length;
    if (valid > bestValid) [best, bestValid] = [region, valid];
  }
  return best;
}
