// Per-record normalisation (contract: "Records"). Pure and allocation-light:
// it runs once per record of every job.
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import { z } from "zod";
import {
  MAX_TEXT_LENGTH,
  SUBSCRIPTION_KEYS,
  TARGET_TEXT_KEYS,
  type FieldCatalog,
} from "../targets/fields";

export type RecordProblemCode = "invalid_email" | "invalid_phone_number" | "unknown_field" | "invalid_value";
export type RecordProblem = { code: RecordProblemCode; field: string; message: string };
export type TargetPatch = {
  externalId: string;
  attrs: Partial<{
    first_name: string | null;
    last_name: string | null;
    email: string | null;
    phone_number: string | null;
    subscription_email: boolean | null;
    subscription_sms: boolean | null;
    subscription_phone: boolean | null;
    subscription_whatsapp: boolean | null;
  }>;
  custom: Record<string, string | number | null>;
};
export type NormaliseResult =
  | { ok: true; patch: TargetPatch }
  | { ok: false; externalId: string | null; problems: RecordProblem[] };

export type NormaliseOptions = { catalog: FieldCatalog; phoneRegion: string; source: "json" | "csv" };

const emailSchema = z.email();
const FLAG_VALUES: Record<string, boolean> = { true: true, yes: true, "1": true, false: false, no: false, "0": false };
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TEXT_KEYS = new Set<string>(TARGET_TEXT_KEYS);
const FLAG_KEYS = new Set<string>(SUBSCRIPTION_KEYS);

const show = (v: unknown) => (typeof v === "string" ? JSON.stringify(v.length > 60 ? v.slice(0, 57) + "..." : v) : String(v));

export function normaliseExternalId(value: unknown): { ok: true; value: string } | { ok: false; message: string } {
  if (typeof value === "number") {
    if (!Number.isInteger(value)) return { ok: false, message: "external_id must be a string or an integer" };
    if (!Number.isSafeInteger(value)) {
      return { ok: false, message: "external_id is too large to be exact as a JSON number; send it as a string" };
    }
    return { ok: true, value: String(value) };
  }
  if (typeof value !== "string") {
    return { ok: false, message: value === undefined || value === null ? "external_id is missing" : "external_id must be a string or an integer" };
  }
  const v = value.trim();
  if (v === "") return { ok: false, message: "external_id is empty" };
  if (v.length > MAX_TEXT_LENGTH) return { ok: false, message: `external_id is longer than ${MAX_TEXT_LENGTH} characters` };
  return { ok: true, value: v };
}

function isRealDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
}

type Value = { ok: true; value: string | number | boolean | null } | { ok: false; code: RecordProblemCode; message: string };
const invalid = (message: string, code: RecordProblemCode = "invalid_value"): Value => ({ ok: false, code, message });

function text(key: string, raw: string | number | boolean): Value {
  const v = String(raw).trim();
  if (v.length > MAX_TEXT_LENGTH) return invalid(`${key} is longer than ${MAX_TEXT_LENGTH} characters`);
  return { ok: true, value: v };
}

function email(raw: unknown): Value {
  if (typeof raw !== "string") return invalid(`${show(raw)} is not a valid email address`, "invalid_email");
  const v = raw.trim().toLowerCase();
  if (v.length > MAX_TEXT_LENGTH || !emailSchema.safeParse(v).success) {
    return invalid(`${show(raw)} is not a valid email address`, "invalid_email");
  }
  return { ok: true, value: v };
}

function phone(raw: unknown, region: string): Value {
  if (typeof raw !== "string") {
    return invalid(`${show(raw)} must be sent as text: as a number it may have lost a leading zero`, "invalid_phone_number");
  }
  const parsed = parsePhoneNumberFromString(raw.trim(), region as CountryCode);
  if (!parsed || !parsed.isValid()) return invalid(`${show(raw)} is not a valid phone number`, "invalid_phone_number");
  return { ok: true, value: parsed.number };
}

function flag(key: string, raw: unknown): Value {
  if (typeof raw === "boolean") return { ok: true, value: raw };
  if (typeof raw === "string") {
    const b = FLAG_VALUES[raw.trim().toLowerCase()];
    if (b !== undefined) return { ok: true, value: b };
  }
  return invalid(`${key} must be true or false (or yes/no, 1/0), not ${show(raw)}`);
}

function float(key: string, raw: unknown): Value {
  if (typeof raw === "number") return Number.isFinite(raw) ? { ok: true, value: raw } : invalid(`${key} must be a finite number`);
  if (typeof raw === "string" && DECIMAL.test(raw.trim())) {
    const n = Number(raw.trim());
    if (Number.isFinite(n)) return { ok: true, value: n };
  }
  return invalid(`${key} must be a number, not ${show(raw)}`);
}

function date(key: string, raw: unknown): Value {
  if (typeof raw === "string" && isRealDate(raw.trim())) return { ok: true, value: raw.trim() };
  return invalid(`${key} must be a real date written YYYY-MM-DD, not ${show(raw)}`);
}

export function normaliseRecord(raw: Record<string, unknown>, opts: NormaliseOptions): NormaliseResult {
  const problems: RecordProblem[] = [];
  const id = normaliseExternalId(raw.external_id);
  const externalId = id.ok ? id.value : null;
  if (!id.ok) problems.push({ code: "invalid_value", field: "external_id", message: id.message });
  const attrs: TargetPatch["attrs"] = {};
  const custom: TargetPatch["custom"] = {};

  for (const key in raw) {
    if (key === "external_id") continue;
    const value = raw[key];
    const kind = opts.catalog.get(key);
    const known = kind !== undefined || TEXT_KEYS.has(key) || FLAG_KEYS.has(key) || key === "email" || key === "phone_number";
    if (!known) {
      problems.push({ code: "unknown_field", field: key, message: `${key} is neither a built-in field nor a custom field` });
      continue;
    }
    if (value === undefined) continue;
    const blank = value === null || (typeof value === "string" && value.trim() === "");
    if (blank) {
      // CSV: an empty cell leaves the value as it is; JSON: null or "" clears it.
      if (opts.source === "csv") continue;
      if (kind !== undefined) custom[key] = null;
      else (attrs as Record<string, null>)[key] = null;
      continue;
    }
    if (typeof value === "object") {
      problems.push({ code: "invalid_value", field: key, message: `${key} must be a single value, not a list or object` });
      continue;
    }
    let result: Value;
    if (kind === "float") result = float(key, value);
    else if (kind === "date") result = date(key, value);
    else if (kind === "text" || TEXT_KEYS.has(key)) result = text(key, value as string | number | boolean);
    else if (key === "email") result = email(value);
    else if (key === "phone_number") result = phone(value, opts.phoneRegion);
    else result = flag(key, value);
    if (!result.ok) {
      problems.push({ code: result.code, field: key, message: result.message });
      continue;
    }
    if (kind !== undefined) custom[key] = result.value as string | number;
    else (attrs as Record<string, unknown>)[key] = result.value;
  }

  if (problems.length > 0) return { ok: false, externalId, problems };
  return { ok: true, patch: { externalId: externalId!, attrs, custom } };
}
