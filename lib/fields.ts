// The field vocabulary, at the bottom of lib/: every built-in field of a
// target once, as the API and CSV headers name it (key), as the wizard shows
// it (label), as a sentence counts its values (noun) and how its values are
// read (kind). Labels, check messages, nouns and the patch type are all built
// from this table. Pure: safe for the browser.

/** How a built-in field's values are read (lib/records/normalise-record.ts). */
export type BuiltinFieldKind = "id" | "text" | "email" | "phone" | "flag";

export type BuiltinField = {
  key: string;
  label: string;
  /** Singular and plural, in a sentence: "1 email", "3,112 emails". */
  noun: readonly [one: string, many: string];
  kind: BuiltinFieldKind;
};

export const BUILTIN_FIELDS = [
  { key: "external_id", label: "external_id (member number)", noun: ["external_id", "external_ids"], kind: "id" },
  { key: "first_name", label: "First name", noun: ["first name", "first names"], kind: "text" },
  { key: "last_name", label: "Last name", noun: ["last name", "last names"], kind: "text" },
  { key: "email", label: "Email", noun: ["email", "emails"], kind: "email" },
  { key: "phone_number", label: "Phone number", noun: ["phone number", "phone numbers"], kind: "phone" },
  { key: "subscription_email", label: "Subscribed: email", noun: ["email subscription", "email subscriptions"], kind: "flag" },
  { key: "subscription_sms", label: "Subscribed: SMS", noun: ["SMS subscription", "SMS subscriptions"], kind: "flag" },
  { key: "subscription_phone", label: "Subscribed: phone", noun: ["phone subscription", "phone subscriptions"], kind: "flag" },
  { key: "subscription_whatsapp", label: "Subscribed: WhatsApp", noun: ["WhatsApp subscription", "WhatsApp subscriptions"], kind: "flag" },
] as const satisfies readonly BuiltinField[];

type FieldRow = (typeof BUILTIN_FIELDS)[number];
type AttributeRow = Exclude<FieldRow, { kind: "id" }>;

export type BuiltinKey = FieldRow["key"];
/** A built-in field a record sets on a target (all but external_id). */
export type AttributeKey = AttributeRow["key"];
export type SubscriptionKey = Extract<AttributeRow, { kind: "flag" }>["key"];

/** A stored value of each kind; null is a cleared one. */
type ValueOfKind = { text: string; email: string; phone: string; flag: boolean };
/** A target's built-in attributes, typed by each field's kind. */
export type TargetAttrs = { [F in AttributeRow as F["key"]]: ValueOfKind[F["kind"]] | null };

export const BUILTIN_KEYS: readonly BuiltinKey[] = BUILTIN_FIELDS.map((f) => f.key);
export const ATTRIBUTE_FIELDS: readonly AttributeRow[] = BUILTIN_FIELDS.filter((f): f is AttributeRow => f.kind !== "id");
export const ATTRIBUTE_KEYS: readonly AttributeKey[] = ATTRIBUTE_FIELDS.map((f) => f.key);
export const SUBSCRIPTION_KEYS: readonly SubscriptionKey[] = ATTRIBUTE_FIELDS.filter((f) => f.kind === "flag").map(
  (f) => f.key as SubscriptionKey,
);

// Maps, not objects: a custom field may be called "constructor", which every plain object seems to hold.
const BY_KEY = new Map<string, BuiltinField>(BUILTIN_FIELDS.map((f) => [f.key, f]));

export function isBuiltinKey(key: string): key is BuiltinKey {
  return BY_KEY.has(key);
}

/** A field in a sentence: a built-in one by its noun, any other by its key ("invalid branch code"). */
export function fieldNoun(key: string): string {
  return BY_KEY.get(key)?.noun[0] ?? key.replace(/_/g, " ");
}

/** "1 email" / "3,112 emails"; a custom field by its label ("Branch" values). */
export function countOfField(key: string, count: number, customLabels: ReadonlyMap<string, string>): string {
  const n = count.toLocaleString("en-GB");
  const builtin = BY_KEY.get(key);
  if (builtin && builtin.kind !== "id") return `${n} ${count === 1 ? builtin.noun[0] : builtin.noun[1]}`;
  return `${n} ${customLabels.get(key) ?? key} ${count === 1 ? "value" : "values"}`;
}

export const CUSTOM_FIELD_KINDS = ["text", "float", "date"] as const;
export type CustomFieldKind = (typeof CUSTOM_FIELD_KINDS)[number];

/** slug → kind of every custom field that exists when a job runs. */
export type FieldCatalog = ReadonlyMap<string, CustomFieldKind>;

export const MAX_TEXT_LENGTH = 255;
export const MAX_RECORDS_PER_REQUEST = 1000;

/** A column the upload wizard leaves out. */
export const SKIP = "skip";
