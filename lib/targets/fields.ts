// The built-in keys of a target, as the API and CSV headers name them.
export const TARGET_TEXT_KEYS = ["first_name", "last_name"] as const;
export const SUBSCRIPTION_KEYS = [
  "subscription_email",
  "subscription_sms",
  "subscription_phone",
  "subscription_whatsapp",
] as const;
export const ATTRIBUTE_KEYS = [...TARGET_TEXT_KEYS, "email", "phone_number", ...SUBSCRIPTION_KEYS] as const;
export const BUILTIN_KEYS = ["external_id", ...ATTRIBUTE_KEYS] as const;

export type AttributeKey = (typeof ATTRIBUTE_KEYS)[number];
export type SubscriptionKey = (typeof SUBSCRIPTION_KEYS)[number];
export type BuiltinKey = (typeof BUILTIN_KEYS)[number];

export const CUSTOM_FIELD_KINDS = ["text", "float", "date"] as const;
export type CustomFieldKind = (typeof CUSTOM_FIELD_KINDS)[number];

/** slug → kind of every custom field that exists when a job runs. */
export type FieldCatalog = ReadonlyMap<string, CustomFieldKind>;

export const MAX_TEXT_LENGTH = 255;
export const MAX_RECORDS_PER_REQUEST = 1000;

export function isBuiltinKey(key: string): key is BuiltinKey {
  return (BUILTIN_KEYS as readonly string[]).includes(key);
}

/** A column the upload wizard leaves out. */
export const SKIP = "skip";
