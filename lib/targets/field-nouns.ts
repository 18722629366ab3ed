// How the preview names a field's values in a sentence ("3,112 emails change").
// A Map: a custom field may be called "constructor", which every plain object seems to hold.
const NOUNS = new Map<string, [string, string]>([
  ["first_name", ["first name", "first names"]],
  ["last_name", ["last name", "last names"]],
  ["email", ["email", "emails"]],
  ["phone_number", ["phone number", "phone numbers"]],
  ["subscription_email", ["email subscription", "email subscriptions"]],
  ["subscription_sms", ["SMS subscription", "SMS subscriptions"]],
  ["subscription_phone", ["phone subscription", "phone subscriptions"]],
  ["subscription_whatsapp", ["WhatsApp subscription", "WhatsApp subscriptions"]],
]);

/** "1 email" / "3,112 emails"; a custom field by its label ("Branch" values). */
export function countOfField(key: string, count: number, customLabels: ReadonlyMap<string, string>): string {
  const n = count.toLocaleString("en-GB");
  const noun = NOUNS.get(key);
  if (noun) return `${n} ${count === 1 ? noun[0] : noun[1]}`;
  return `${n} ${customLabels.get(key) ?? key} ${count === 1 ? "value" : "values"}`;
}
