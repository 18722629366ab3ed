// Per-record normalisation (contract: "Records"). Pure (no I/O) and
// allocation-light: it runs once per record of every job, millions of times.
// Every schema and regex is built once, here at module level; a value that is
// fine allocates nothing but its normalised form, and a problem object is
// only made for a value that has one.
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import { z } from "zod";
import { ATTRIBUTE_FIELDS, MAX_TEXT_LENGTH, type BuiltinFieldKind, type CustomFieldKind, type FieldCatalog, type TargetAttrs } from "../fields";
import { isStorable } from "../storable-text";
import type { RecordProblemCode } from "../vocabulary";

export type RecordProblem = { code: RecordProblemCode; field: string; message: string };
export type TargetPatch = {
  externalId: string;
  /** Built-in attributes to set; null clears; a key absent means unchanged. */
  attrs: Partial<TargetAttrs>;
  /** slug → text string | float number | date "YYYY-MM-DD"; null clears. */
  custom: Record<string, string | number | null>;
};
export type NormaliseResult =
  | { ok: true; patch: TargetPatch }
  | { ok: false; externalId: string | null; problems: RecordProblem[] };

export type NormaliseOptions = { catalog: FieldCatalog; phoneRegion: string; source: "json" | "csv" };

// ---------------------------------------------------------------------------
// Module-level, built once.

/**
 * zod's `z.email()`. Its whole check is one regex (zod 4: `def.pattern`,
 * `z.regexes.email` by default); we run that regex directly, which is the
 * same test without the allocations of a `safeParse` per value.
 */
const emailSchema = z.email();
const EMAIL_PATTERN: RegExp = (emailSchema._zod.def as { pattern?: RegExp }).pattern ?? z.regexes.email;
// Every pattern below runs on user input, so each is unambiguous (no two ways
// to match the same text, so no backtracking blow-up) and is only ever run on
// a value that has passed a length bound first.

/**
 * A string that is wholly a decimal number: "1.5", "-2", "+3", "1e3", ".5",
 * "1.". The digits after the point belong to the point, never to `\d+`.
 */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** The contract's bound on a float field's decimal string (trimmed), as on text; the pattern runs on no more. */
const MAX_NUMBER_CHARS = MAX_TEXT_LENGTH;
/** Longest key a record may name (no field name or slug comes near it); a longer one is reported cut to it. */
const MAX_KEY_LENGTH = 255;
/** The shape of a date; the calendar is checked by hand. */
const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
/** No phone number, however written (spaces, dashes, "(0)"), is longer. */
const MAX_PHONE_CHARS = 64;
/** Longest value quoted in a message. */
const SHOWN_CHARS = 60;

/** How each built-in attribute key is read. */
const Kind = { Text: 0, Email: 1, Phone: 2, Flag: 3, Float: 4, Date: 5 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];
const KIND_OF: Record<Exclude<BuiltinFieldKind, "id">, Kind> = { text: Kind.Text, email: Kind.Email, phone: Kind.Phone, flag: Kind.Flag };
const BUILTIN_KIND = new Map<string, Kind>(ATTRIBUTE_FIELDS.map((f) => [f.key, KIND_OF[f.kind]]));
const CUSTOM_KIND: Record<CustomFieldKind, Kind> = { text: Kind.Text, float: Kind.Float, date: Kind.Date };

/** A value's problem; only ever made for a value that has one. */
class Bad {
  constructor(
    readonly code: RecordProblemCode,
    readonly message: string,
  ) {}
}

type Scalar = string | number | boolean;
type Normalised = string | number | boolean | Bad;

// ---------------------------------------------------------------------------

/** `s` in at most `max` characters: cut, with "...", never inside a surrogate pair. */
function shorten(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 3;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${s.slice(0, end)}...`;
}

/** A value as a message quotes it: strings in quotes, long ones shortened. */
function show(v: unknown): string {
  if (typeof v !== "string") return String(v);
  return JSON.stringify(shorten(v, SHOWN_CHARS));
}

/** A key that is no field; one longer than any key may be is named cut to that bound. */
function unknownField(key: string): RecordProblem {
  const message = `${show(key)} is neither a built-in field nor an existing custom field`;
  if (key.length <= MAX_KEY_LENGTH) return { code: "unknown_field", field: key, message };
  return {
    code: "unknown_field",
    field: shorten(key, MAX_KEY_LENGTH),
    message: `${message} (a key of ${key.length} characters; none is longer than ${MAX_KEY_LENGTH})`,
  };
}

/**
 * external_id: a string (trimmed, 1..255 characters, compared exactly) or a
 * JSON integer (its decimal string). An integer beyond 2^53 - 1 is refused:
 * JSON parsing may already have changed its last digits.
 */
export function normaliseExternalId(value: unknown): { ok: true; value: string } | { ok: false; message: string } {
  if (typeof value === "string") {
    const v = value.trim();
    if (v === "") return { ok: false, message: "external_id is empty" };
    if (v.length > MAX_TEXT_LENGTH) {
      return { ok: false, message: `external_id is longer than ${MAX_TEXT_LENGTH} characters (${v.length})` };
    }
    if (!isStorable(v)) return { ok: false, message: "external_id holds a NUL character or a lone UTF-16 surrogate" };
    return { ok: true, value: v };
  }
  if (typeof value === "number") {
    if (!Number.isInteger(value)) {
      return { ok: false, message: `external_id ${show(value)} is not an integer; send a string or an integer` };
    }
    if (!Number.isSafeInteger(value)) {
      return {
        ok: false,
        message: `external_id ${show(value)} is too large to be exact as a JSON number (it may have lost digits); send it as a string`,
      };
    }
    return { ok: true, value: String(value) };
  }
  if (value === undefined || value === null) return { ok: false, message: "external_id is missing" };
  return { ok: false, message: `external_id must be a string or an integer, not ${Array.isArray(value) ? "a list" : typeof value === "object" ? "an object" : show(value)}` };
}

function text(key: string, raw: Scalar): Normalised {
  const v = typeof raw === "string" ? raw.trim() : String(raw);
  if (v.length > MAX_TEXT_LENGTH) {
    return new Bad("invalid_value", `${key} is longer than ${MAX_TEXT_LENGTH} characters (${v.length})`);
  }
  // neither database stores these as sent (lib/storable-text.ts): refuse them on both alike
  if (!isStorable(v)) return new Bad("invalid_value", `${key} holds a NUL character or a lone UTF-16 surrogate, which cannot be stored`);
  return v;
}

function email(raw: Scalar): Normalised {
  if (typeof raw !== "string") return new Bad("invalid_email", `${show(raw)} is not a valid email address`);
  const v = raw.trim().toLowerCase();
  if (v.length > MAX_TEXT_LENGTH) {
    return new Bad("invalid_email", `the email address is longer than ${MAX_TEXT_LENGTH} characters (${v.length})`);
  }
  if (!EMAIL_PATTERN.test(v)) return new Bad("invalid_email", `${show(raw)} is not a valid email address`);
  return v;
}

// Phone numbers: libphonenumber-js with full metadata ("max") is by far the
// most expensive step. A map of the last 50,000 numbers read used to keep
// every result; it slowed every number not seen before, and paid only where
// a fifth or more of the numbers repeat within 50,000 of each other, which
// member lists do not (a re-import of 200,000 members repeats none within
// it; docs/performance.md). The last number read is kept: a household's
// rows side by side cost one comparison.
let lastRegion = "";
let lastCountry: CountryCode = "GB";
let lastPhone: { raw: string; result: string | Bad } | null = null;

function phoneRegion(region: string): CountryCode {
  if (region !== lastRegion) {
    const country = region.trim().toUpperCase();
    if (!isSupportedCountry(country)) throw new Error(`Unknown phone region ${JSON.stringify(region)} (DEFAULT_PHONE_REGION)`);
    lastPhone = null;
    lastRegion = region;
    lastCountry = country;
  }
  return lastCountry;
}

function phone(raw: Scalar, region: string): Normalised {
  if (typeof raw !== "string") {
    if (typeof raw === "number") {
      return new Bad(
        "invalid_phone_number",
        `phone number ${show(raw)} must be sent as text: as a number it loses leading zeros`,
      );
    }
    return new Bad("invalid_phone_number", `${show(raw)} is not a phone number`);
  }
  const country = phoneRegion(region);
  const v = raw.trim();
  if (v.length > MAX_PHONE_CHARS) {
    return new Bad("invalid_phone_number", `${show(v)} is not a valid phone number (longer than ${MAX_PHONE_CHARS} characters)`);
  }
  if (v.includes("\u0000")) return new Bad("invalid_phone_number", `${show(v)} is not a valid phone number (it holds a NUL character)`);
  if (lastPhone?.raw === v) return lastPhone.result;
  const result = parsePhone(v, country);
  lastPhone = { raw: v, result };
  return result;
}

function parsePhone(v: string, country: CountryCode): string | Bad {
  // extract: false: the whole value must be the number ("call 07565…" is not).
  const parsed = parsePhoneNumberFromString(v, { defaultCountry: country, extract: false });
  if (!parsed || !parsed.isValid()) {
    return new Bad("invalid_phone_number", `${show(v)} is not a valid phone number (a national number is read as ${country})`);
  }
  if (parsed.ext) {
    return new Bad("invalid_phone_number", `${show(v)} has an extension, which a phone number in E.164 cannot hold`);
  }
  return parsed.number;
}

function flag(key: string, raw: Scalar): Normalised {
  if (typeof raw === "boolean") return raw;
  if (typeof raw === "string") {
    switch (raw.trim().toLowerCase()) {
      case "true":
      case "yes":
      case "1":
        return true;
      case "false":
      case "no":
      case "0":
        return false;
    }
  }
  return new Bad("invalid_value", `${show(raw)} is not a yes/no value for ${key}: use true/false, yes/no or 1/0`);
}

function float(key: string, raw: Scalar): Normalised {
  if (typeof raw === "number") {
    return Number.isFinite(raw) ? raw : new Bad("invalid_value", `${show(raw)} is not a finite number (${key})`);
  }
  if (typeof raw === "string") {
    const v = raw.trim();
    if (v.length > MAX_NUMBER_CHARS) {
      return new Bad("invalid_value", `${show(raw)} is not a number (${key}: longer than ${MAX_NUMBER_CHARS} characters)`);
    }
    if (DECIMAL.test(v)) {
      const n = Number(v);
      if (Number.isFinite(n)) return n;
      return new Bad("invalid_value", `${show(raw)} is too large a number (${key})`);
    }
  }
  return new Bad("invalid_value", `${show(raw)} is not a number (${key} is a number field)`);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** "YYYY-MM-DD" naming a real day of the (proleptic Gregorian) calendar, years 0001–9999. */
function isRealDate(s: string): boolean {
  if (!DATE_SHAPE.test(s)) return false;
  const y = +s.slice(0, 4);
  const m = +s.slice(5, 7);
  const d = +s.slice(8, 10);
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  if (m === 2 && d === 29) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= DAYS_IN_MONTH[m - 1];
}

function date(key: string, raw: Scalar): Normalised {
  if (typeof raw === "string") {
    const v = raw.trim();
    if (v.length === 10 && isRealDate(v)) return v;
  }
  return new Bad("invalid_value", `${show(raw)} is not a real date written YYYY-MM-DD (${key} is a date field)`);
}

/** "" or only whitespace; most values are decided by their first character. */
function isBlank(s: string): boolean {
  if (s.length === 0) return true;
  const c = s.charCodeAt(0);
  if (c > 32 && c < 127) return false;
  return s.trim() === "";
}

function normalise(kind: Kind, key: string, raw: Scalar, region: string): Normalised {
  switch (kind) {
    case Kind.Text:
      return text(key, raw);
    case Kind.Email:
      return email(raw);
    case Kind.Phone:
      return phone(raw, region);
    case Kind.Flag:
      return flag(key, raw);
    case Kind.Float:
      return float(key, raw);
    case Kind.Date:
      return date(key, raw);
  }
}

/**
 * One raw record (a JSON object, or a CSV row keyed by normalised header) →
 * the patch to apply, or every problem it has (one per problem, in key order;
 * a missing external_id first). JSON null or "" clears an attribute; an empty
 * CSV cell leaves it unchanged.
 */
export function normaliseRecord(raw: Record<string, unknown>, opts: NormaliseOptions): NormaliseResult {
  const { catalog, phoneRegion: region } = opts;
  const csv = opts.source === "csv";
  let problems: RecordProblem[] | null = null;
  let externalId: string | null = null;
  const attrs: Record<string, string | boolean | null> = {};
  const custom: Record<string, string | number | null> = {};

  if (!Object.hasOwn(raw, "external_id")) {
    problems = [{ code: "invalid_value", field: "external_id", message: "external_id is missing" }];
  }

  for (const key of Object.keys(raw)) {
    const value = raw[key];
    if (key === "external_id") {
      const id = normaliseExternalId(value);
      if (id.ok) externalId = id.value;
      else (problems ??= []).push({ code: "invalid_value", field: key, message: id.message });
      continue;
    }
    let isCustom = false;
    let kind = BUILTIN_KIND.get(key);
    if (kind === undefined) {
      const customKind = catalog.get(key);
      if (customKind === undefined) {
        (problems ??= []).push(unknownField(key));
        continue;
      }
      kind = CUSTOM_KIND[customKind];
      isCustom = true;
    }

    if (value === undefined) continue;
    let out: Normalised | null;
    if (value === null) {
      if (csv) continue;
      out = null;
    } else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      // Blank: JSON "" clears, an empty CSV cell leaves the value as it is.
      if (typeof value === "string" && isBlank(value)) {
        if (csv) continue;
        out = null;
      } else {
        out = normalise(kind, key, value, region);
        if (out instanceof Bad) {
          (problems ??= []).push({ code: out.code, field: key, message: out.message });
          continue;
        }
      }
    } else {
      const what = Array.isArray(value) ? "a list" : typeof value === "object" ? "an object" : `a ${typeof value}`;
      (problems ??= []).push({ code: "invalid_value", field: key, message: `${key} must be a single value, not ${what}` });
      continue;
    }
    if (problems !== null) continue; // the record is rejected anyway: build nothing more
    if (isCustom) custom[key] = out as string | number | null;
    else attrs[key] = out as string | boolean | null;
  }

  if (problems !== null) return { ok: false, externalId, problems };
  return { ok: true, patch: { externalId: externalId as string, attrs: attrs as TargetPatch["attrs"], custom } };
}

/** A phone number as the upsert stores it (E.164), or null when the upsert would reject it. */
export function phoneNumberOf(raw: string, region: string): string | null {
  const result = phone(raw, region);
  return typeof result === "string" ? result : null;
}
