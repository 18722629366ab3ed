// patches/libphonenumber-js+<version>.patch (applied by patch-package at
// `postinstall`) makes libphonenumber-js cache the RegExps it used to compile
// on every match. This checks that the patched library answers exactly like
// the unpatched one (the same version, installed under the npm alias
// "libphonenumber-js-unpatched", which patch-package does not touch), on a
// large seeded sample, in both builds the app loads: ESM (`import` → es6/)
// and CommonJS (`require` → build/). It also prints the speed of both.
// See docs/libphonenumber-upstream.md.
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import * as patchedEsm from "libphonenumber-js/max";
import * as unpatchedEsm from "libphonenumber-js-unpatched/max";
import mobileExamples from "libphonenumber-js-unpatched/mobile/examples";
import type { CountryCode, PhoneNumber } from "libphonenumber-js/max";

type Lib = typeof patchedEsm;
type DefaultCountry = CountryCode | undefined;
type Input = { text: string; options: { defaultCountry?: CountryCode; defaultCallingCode?: string } };

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const require = createRequire(import.meta.url);
const patchedCjs = require("libphonenumber-js/max") as Lib;
const unpatchedCjs = require("libphonenumber-js-unpatched/max") as Lib;
const patchedDir = dirname(require.resolve("libphonenumber-js/package.json"));
const unpatchedDir = dirname(require.resolve("libphonenumber-js-unpatched/package.json"));

// ---------------------------------------------------------------------------
// Seeded sample (mulberry32: no Math.random, the same sample on every run).

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MAIN_REGIONS = [
  "GB", "US", "DE", "FR", "IE", "IN", "BR", "AU", "JP", "NG", "CA", "MX", "AR", "CN", "RU", "KZ", "IT", "ES",
  "NL", "BE", "CH", "AT", "SE", "NO", "PL", "ZA", "KE", "EG", "AE", "SA", "SG", "HK", "KR", "NZ", "TR", "IL",
  "PK", "BD", "ID", "PH", "VN", "CO", "PE", "CL", "IM", "JE", "GG", "VI", "PR", "FI", "PT", "GR", "CZ", "UA",
] as CountryCode[];

/** Hand-picked inputs that exercise national prefixes, transform rules, IDD, (0), carrier codes, etc. */
const HAND_PICKED: [string, DefaultCountry][] = [
  ["+447400123456", "GB"], ["07400 123456", "GB"], ["+44 (0)20 7946 0958", "GB"], ["020 7946 0958", "GB"],
  ["0044 20 7946 0958", "GB"], ["00 1 201 555 0123", "GB"], ["+44 1624 456789", "GB"], ["01624 456789", "GB"],
  ["07624 123456", "GB"], ["01534 123456", "GB"], ["01481 123456", "GB"], ["+1 (201) 555-0123 ext. 123", "US"],
  ["201-555-0123 x12", "US"], ["1-800-FLOWERS", "US"], ["011 44 20 7946 0958", "US"], ["tel:+1-201-555-0123", "US"],
  ["tel:+1-201-555-0123;ext=99", undefined], ["+1 340 712 3456", undefined], ["712 3456", "VI"], ["2345678", "VI"],
  ["0049 30 123456", "DE"], ["+49 (0)30 123456", "DE"], ["030 123456", "DE"], ["+33 1 23 45 67 89", "FR"],
  ["01 23 45 67 89", "FR"], ["+7 800 555 35 35", "RU"], ["8 800 555 35 35", "RU"], ["8 (727) 123-45-67", "KZ"],
  ["+54 9 11 2345-6789", "AR"], ["011 15-2345-6789", "AR"], ["0343 15-555-1212", "AR"], ["+39 06 6982 1234", "IT"],
  ["06 6982 1234", "IT"], ["0 21 11 98765-4321", "BR"], ["(11) 98765-4321", "BR"], ["+55 11 98765 4321", "BR"],
  ["+61 4 1234 5678", "AU"], ["0412 345 678", "AU"], ["0011 44 20 7946 0958", "AU"], ["090-1234-5678", "JP"],
  ["+81 90 1234 5678", "JP"], ["0803 123 4567", "NG"], ["+234 803 123 4567", "NG"], ["+353 85 123 4567", "IE"],
  ["085 123 4567", "IE"], ["+91 98765 43210", "IN"], ["098765 43210", "IN"], ["+800 1234 5678", undefined],
  ["+882 1234 5678", undefined], ["+44 7400 123456 ext 1234567", "GB"], ["07400 123456#", "GB"],
  ["07400 123456 ,,123", "GB"], ["07400 123456;456", "GB"], ["+４４ ７４００ １２３４５６", "GB"],
  ["٠٧٤٠٠١٢٣٤٥٦", "GB"], ["۰۷۴۰۰۱۲۳۴۵۶", "GB"], ["०७४००१२३४५६", "GB"], ["", "GB"], [" ", "GB"], ["+", "GB"],
  ["0", "GB"], ["00", "GB"], ["()", "GB"], ["-", "GB"], ["+0", "GB"], ["ext 1", "GB"], ["+44", "GB"],
  ["44", "GB"], ["+44 0", "GB"], ["\t07400 123456\n", "GB"], ["Phone: 07400 123456.", "GB"], ["abc", undefined],
];

const JUNK_PREFIXES = ["", "", "", " ", "  ", "\t", "tel:", "Tel. ", "Phone: ", "Mob ", "abc", "'", '"', "*", "#", "~", "(", "[", ".", "-", "\u00a0", "\u200b"];
const JUNK_SUFFIXES = ["", "", "", " ", "\n", ".", "!", "!!", "?", "abc", ")", "]", ",", ";", "#", "*", "'", "\u00a0", " (mobile)", " /home"];
const EXTENSIONS = [" ext. 123", " ext 1", " x12", "x12", " X 9", " #99", ";ext=5", " extension 42", " доб. 12", " anexo 3", ",,123", ";45", " ext. 12345678901234567890123", " int 7", " ｘ１２"];
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const UNICODE_DIGIT_BASES = [0xff10, 0x0660, 0x06f0, 0x0966, 0x09e6, 0x0e50, 0x1d7ce]; // fullwidth, Arabic-Indic, ext. Arabic-Indic, Devanagari, Bengali, Thai, math bold
const RANDOM_ALPHABET = "0123456789012345678901234567890123456789 +-().()-/xX#*,;:ext.abc\u00a0\uff0b０１２３４５６７８９٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹";

function buildSample(lib: Lib, size: number, seed: number): Input[] {
  const random = mulberry32(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T,>(items: readonly T[]): T => items[int(items.length)];
  const chance = (p: number) => random() < p;
  const countries = lib.getCountries();

  // Per region, formatted templates of one real (mobile example) number.
  const templates = new Map<CountryCode, string[]>();
  for (const country of countries) {
    const example: PhoneNumber | undefined = lib.getExampleNumber(country, mobileExamples);
    if (!example) continue;
    templates.set(country, [
      example.number,
      example.formatInternational(),
      example.formatNational(),
      example.formatNational(),
      example.nationalNumber,
      example.getURI(),
      example.format("IDD", { fromCountry: pick(MAIN_REGIONS) }) ?? example.number,
    ]);
  }
  const withTemplates = [...templates.keys()];
  const defaultCountry = (): DefaultCountry =>
    chance(0.05) ? undefined : chance(0.7) ? pick(MAIN_REGIONS) : pick(countries);

  const mutateDigits = (text: string): string => {
    const p = pick([0, 0, 0, 0, 0.05, 0.15, 0.5, 1]);
    let keepFirst = int(4);
    let out = "";
    for (const ch of text) {
      if (ch >= "0" && ch <= "9") {
        if (keepFirst > 0) keepFirst--;
        else if (chance(p)) {
          out += String(int(10));
          continue;
        }
      }
      out += ch;
    }
    return out;
  };
  const mutateLength = (text: string): string => {
    const digits = [...text].map((ch, i) => (ch >= "0" && ch <= "9" ? i : -1)).filter((i) => i >= 0);
    if (digits.length === 0) return text;
    switch (int(6)) {
      case 0: {
        // Too short: drop 1..4 digits from the end.
        const cut = digits[Math.max(0, digits.length - 1 - int(4))];
        return text.slice(0, cut);
      }
      case 1: // Too long: 1..6 more digits.
        return text + Array.from({ length: 1 + int(6) }, () => int(10)).join("");
      case 2: {
        // One digit removed in the middle.
        const at = pick(digits);
        return text.slice(0, at) + text.slice(at + 1);
      }
      case 3: {
        // One digit inserted.
        const at = pick(digits);
        return text.slice(0, at) + int(10) + text.slice(at);
      }
      default:
        return text;
    }
  };
  const restyle = (text: string): string => {
    switch (int(8)) {
      case 0:
        return text.replace(/ /g, "-");
      case 1:
        return text.replace(/ /g, ".");
      case 2:
        return text.replace(/[ ()-]/g, "");
      case 3:
        return text.replace(/ /g, "  ");
      case 4: // Brackets around the first digit group.
        return text.replace(/(\d{2,4})/, "($1)");
      case 5: // "(0)" after the country calling code.
        return text.replace(/^(\+\d{1,3}) ?/, "$1 (0)");
      case 6: // 00 instead of +.
        return text.replace(/^\+/, "00");
      default:
        return text;
    }
  };
  const unicodeDigits = (text: string): string => {
    const base = pick(UNICODE_DIGIT_BASES);
    return text.replace(/\d/g, (d) => (chance(0.8) ? String.fromCodePoint(base + Number(d)) : d)).replace(/^\+/, chance(0.5) ? "\uff0b" : "+");
  };
  const sprinkleLetters = (text: string): string => {
    const chars = [...text];
    const n = 1 + int(3);
    for (let i = 0; i < n; i++) chars.splice(int(chars.length + 1), chance(0.5) ? 1 : 0, pick([...LETTERS]));
    return chars.join("");
  };
  const randomString = (length: number): string => {
    let out = "";
    for (let i = 0; i < length; i++) out += RANDOM_ALPHABET[int(RANDOM_ALPHABET.length)];
    return out;
  };
  const randomDigits = (length: number): string => Array.from({ length }, () => int(10)).join("");

  const sample: Input[] = HAND_PICKED.map(([text, country]) => ({ text, options: { defaultCountry: country } }));
  while (sample.length < size) {
    const roll = random();
    let text: string;
    let country = defaultCountry();
    if (roll < 0.6) {
      // A real number of some region, in one of its formats, mutated.
      const from = chance(0.5) && country && templates.has(country) ? country : pick(withTemplates);
      text = pick(templates.get(from)!);
      text = mutateDigits(text);
      if (chance(0.25)) text = mutateLength(text);
      if (chance(0.5)) text = restyle(text);
      if (chance(0.12)) text += pick(EXTENSIONS);
      if (chance(0.05)) text = unicodeDigits(text);
      if (chance(0.04)) text = sprinkleLetters(text);
      if (chance(0.15)) text = pick(JUNK_PREFIXES) + text + pick(JUNK_SUFFIXES);
    } else if (roll < 0.8) {
      // Random digits: national, with a trunk prefix, or behind a calling code.
      const digits = randomDigits(2 + int(16));
      const cc = lib.getCountryCallingCode(pick(countries));
      text = pick([digits, "0" + digits, "+" + cc + digits, "+" + cc + " " + digits, "00" + cc + digits, "8" + digits, "1" + digits]);
      if (chance(0.3)) text = restyle(text.replace(/(\d{3})(?=\d)/g, "$1 "));
      if (chance(0.05)) text += pick(EXTENSIONS);
    } else if (roll < 0.97) {
      // Random characters, mostly short.
      text = randomString(int(chance(0.8) ? 20 : 60));
    } else {
      // Long and very long strings.
      const length = chance(0.3) ? 1000 + int(4000) : 40 + int(300);
      text = chance(0.5) ? randomDigits(length) : randomString(length);
      if (chance(0.5)) text = "+" + text;
    }
    const options = chance(0.03) ? { defaultCallingCode: pick(["1", "44", "7", "49", "33", "39", "54", "55", "61", "81", "234"]) } : { defaultCountry: country };
    if ("defaultCallingCode" in options) country = undefined;
    sample.push({ text, options });
  }
  return sample;
}

// ---------------------------------------------------------------------------
// What is compared, per input.

function attempt<T>(f: () => T): T | string {
  try {
    return f();
  } catch (error) {
    return `threw ${(error as Error)?.name}: ${(error as Error)?.message}`;
  }
}

function outcome(lib: Lib, { text, options }: Input): string {
  const phone = attempt(() => lib.parsePhoneNumberFromString(text, { ...options, extract: false }));
  const parsed =
    phone === undefined || typeof phone === "string"
      ? [phone ?? null]
      : [
          true,
          attempt(() => phone.isValid()),
          attempt(() => phone.isPossible()),
          phone.number,
          phone.country ?? null,
          phone.ext ?? null,
          phone.nationalNumber,
          phone.countryCallingCode,
          attempt(() => phone.getType() ?? null),
          attempt(() => phone.formatInternational()),
          attempt(() => phone.formatNational()),
        ];
  return JSON.stringify([
    parsed,
    attempt(() => lib.isValidPhoneNumber(text, options)),
    attempt(() => lib.validatePhoneNumberLength(text, options) ?? null),
  ]);
}

/**
 * Parses + isValid() per second of `a` and of `b` on the same inputs: one
 * warm-up pass each, then `rounds` alternating timed passes, best of each.
 */
function rates(a: Lib, b: Lib, inputs: Input[], rounds: number): [number, number] {
  const pass = (lib: Lib) => {
    const start = performance.now();
    for (const { text, options } of inputs) lib.parsePhoneNumberFromString(text, { ...options, extract: false })?.isValid();
    return inputs.length / ((performance.now() - start) / 1000);
  };
  pass(a);
  pass(b);
  let bestA = 0;
  let bestB = 0;
  for (let r = 0; r < rounds; r++) {
    bestA = Math.max(bestA, pass(a));
    bestB = Math.max(bestB, pass(b));
  }
  return [bestA, bestB];
}

/** The app's shape: distinct valid UK mobiles, "+447400123456" / "07400 123456", default country GB. */
function ukMobiles(count: number, seed: number): Input[] {
  const random = mulberry32(seed);
  const seen = new Set<string>();
  const out: Input[] = [];
  while (out.length < count) {
    // 074xx, 075xx, 077xx, 078xx, 079xx (not 07700 900/07911 ranges, which are not all valid).
    const nsn = "7" + "45789"[Math.floor(random() * 5)] + String(Math.floor(random() * 1e8)).padStart(8, "0");
    if (seen.has(nsn) || nsn.startsWith("7700") || nsn.startsWith("7911")) continue;
    seen.add(nsn);
    const text = out.length % 2 ? `+44${nsn}` : `0${nsn.slice(0, 4)} ${nsn.slice(4)}`;
    out.push({ text, options: { defaultCountry: "GB" } });
  }
  return out;
}

// ---------------------------------------------------------------------------

describe("libphonenumber-js patch (patches/libphonenumber-js+*.patch)", () => {
  const patchFiles = readdirSync(join(root, "patches")).filter((f) => f.startsWith("libphonenumber-js+"));
  const version = (dir: string) => (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string }).version;

  test("the patch is for the installed version, and patched and unpatched copies really differ", () => {
    expect(patchFiles).toHaveLength(1);
    expect(patchFiles[0]).toBe(`libphonenumber-js+${version(patchedDir)}.patch`);
    // The same version on both sides: only the patch differs.
    expect(version(unpatchedDir)).toBe(version(patchedDir));
    expect(unpatchedDir).not.toBe(patchedDir);

    const patch = readFileSync(join(root, "patches", patchFiles[0]), "utf8");
    const touched = [...patch.matchAll(/^diff --git a\/node_modules\/libphonenumber-js\/(\S+) /gm)].map((m) => m[1]);
    for (const build of ["es6", "build"]) {
      for (const file of [
        "helpers/cachedRegExp.js",
        "helpers/matchesEntirely.js",
        "helpers/extractNationalNumberFromPossiblyIncompleteNumber.js",
        "helpers/stripIddPrefix.js",
        "helpers/getCountryByNationalNumber.js",
        "helpers/formatNationalNumberUsingFormat.js",
        "format.js",
      ]) {
        expect(touched).toContain(`${build}/${file}`);
      }
    }
    for (const file of touched) {
      const patched = readFileSync(join(patchedDir, file), "utf8");
      const unpatched = attempt(() => readFileSync(join(unpatchedDir, file), "utf8"));
      expect(patched, file).not.toBe(unpatched);
      expect(patched, file).toMatch(/createRegExpCache|_cachedRegExp/);
      expect(unpatched, file).not.toMatch(/createRegExpCache|_cachedRegExp/);
    }
    // Two distinct module instances in each build.
    expect(patchedEsm.parsePhoneNumberFromString).not.toBe(unpatchedEsm.parsePhoneNumberFromString);
    expect(patchedCjs.parsePhoneNumberFromString).not.toBe(unpatchedCjs.parsePhoneNumberFromString);
    // `require` loaded the patched CommonJS build (build/), not the unpatched one.
    const loaded = Object.keys(require.cache);
    expect(loaded).toContain(join(patchedDir, "build/helpers/matchesEntirely.js"));
    expect(loaded).toContain(join(patchedDir, "build/helpers/cachedRegExp.js"));
    expect(loaded).toContain(join(unpatchedDir, "build/helpers/matchesEntirely.js"));
  });

  const SAMPLE_SIZE = 40_000;
  const sample = buildSample(unpatchedEsm, SAMPLE_SIZE, 0x5eed_1234);

  test("the sample is large and varied", () => {
    expect(sample.length).toBe(SAMPLE_SIZE);
    expect(new Set(sample.map((s) => s.text)).size).toBeGreaterThan(SAMPLE_SIZE * 0.8);
    const defaults = new Set(sample.map((s) => s.options.defaultCountry).filter(Boolean));
    expect(defaults.size).toBeGreaterThan(200);
    expect(sample.some((s) => s.text.length > 3000)).toBe(true);
    // Valid and invalid, parsed and not, in good numbers (counted on the unpatched library).
    let valid = 0;
    let unparsed = 0;
    for (const { text, options } of sample) {
      const phone = unpatchedEsm.parsePhoneNumberFromString(text, { ...options, extract: false });
      if (!phone) unparsed++;
      else if (phone.isValid()) valid++;
    }
    console.log(`sample: ${sample.length} inputs, ${valid} valid, ${sample.length - valid - unparsed} parsed but invalid, ${unparsed} not parsed`);
    expect(valid).toBeGreaterThan(SAMPLE_SIZE * 0.15);
    expect(unparsed).toBeGreaterThan(SAMPLE_SIZE * 0.1);
    expect(sample.length - valid - unparsed).toBeGreaterThan(SAMPLE_SIZE * 0.15);
  });

  const expected = sample.map((input) => outcome(unpatchedEsm, input));

  const compare = (lib: Lib) => {
    const mismatches: string[] = [];
    sample.forEach((input, i) => {
      const got = outcome(lib, input);
      if (got !== expected[i] && mismatches.length < 10) mismatches.push(`${JSON.stringify(input)}\n  patched:   ${got}\n  unpatched: ${expected[i]}`);
    });
    expect(mismatches).toEqual([]);
  };

  test("ESM build (es6/): same results as unpatched on every input", () => compare(patchedEsm));
  test("CommonJS build (build/): same results as unpatched on every input", () => compare(patchedCjs));
  test("unpatched CommonJS agrees with unpatched ESM (the baseline is sound)", () => {
    // Only a slice: the two unpatched builds are compiled from the same source.
    for (let i = 0; i < sample.length; i += 20) expect(outcome(unpatchedCjs, sample[i])).toBe(expected[i]);
  });

  test("the patched library is faster (rates printed; asserted only with a wide margin)", () => {
    const uk = ukMobiles(8_000, 0x0c0ffee);
    // The speed-up is only worth having if nothing changed on these either.
    for (const input of uk.slice(0, 2_000)) expect(outcome(patchedEsm, input)).toBe(outcome(unpatchedEsm, input));
    expect(uk.every(({ text }) => patchedEsm.isValidPhoneNumber(text, "GB"))).toBe(true);

    const [ukPatched, ukUnpatched] = rates(patchedEsm, unpatchedEsm, uk, 3);
    const [ukPatchedCjs, ukUnpatchedCjs] = rates(patchedCjs, unpatchedCjs, uk, 3);
    const mixed = sample.slice(0, 6_000);
    const [mixedPatched, mixedUnpatched] = rates(patchedEsm, unpatchedEsm, mixed, 3);
    const line = (what: string, patched: number, unpatched: number) =>
      `${what}: patched ${Math.round(patched)}/s, unpatched ${Math.round(unpatched)}/s (x${(patched / unpatched).toFixed(2)})`;
    console.log(
      [
        "parse + isValid(), best of 3 alternating passes:",
        line(`  ${uk.length} UK mobiles, GB default, ESM`, ukPatched, ukUnpatched),
        line(`  ${uk.length} UK mobiles, GB default, CommonJS`, ukPatchedCjs, ukUnpatchedCjs),
        line(`  first ${mixed.length} of the mixed sample, ESM (not asserted)`, mixedPatched, mixedUnpatched),
      ].join("\n"),
    );
    // Measured about x3.5 on the app's shape; x1.5 leaves room for a noisy machine.
    expect(ukPatched).toBeGreaterThanOrEqual(1.5 * ukUnpatched);
  });
});
