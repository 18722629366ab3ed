// Matches CSV column headers to field keys the way staff write them:
// case, spaces and punctuation do not matter, and common synonyms
// (Forename, Surname, Mobile, E-mail, Member number…) are understood.
import { BUILTIN_KEYS, SKIP } from "../fields";

const SYNONYMS: Record<string, string[]> = {
  external_id: ["externalid", "id", "memberid", "membernumber", "memberno", "membershipnumber", "membershipno", "membershipid", "memno", "supporterid", "supporternumber", "contactid", "reference", "ref", "uniqueid"],
  first_name: ["firstname", "forename", "forenames", "givenname", "first", "fname", "christianname"],
  last_name: ["lastname", "surname", "familyname", "last", "lname", "secondname"],
  email: ["email", "emailaddress", "mail", "emailadd"],
  phone_number: ["phonenumber", "phone", "mobile", "mobilenumber", "mobilephone", "cell", "cellphone", "telephone", "tel", "telno", "phoneno", "contactnumber"],
  subscription_email: ["subscriptionemail", "emailsubscription", "emailoptin", "optinemail", "emailconsent", "subscribedemail"],
  subscription_sms: ["subscriptionsms", "smssubscription", "smsoptin", "optinsms", "textoptin", "smsconsent", "subscribedsms"],
  subscription_phone: ["subscriptionphone", "phonesubscription", "phoneoptin", "optinphone", "callconsent", "subscribedphone"],
  subscription_whatsapp: ["subscriptionwhatsapp", "whatsappsubscription", "whatsappoptin", "optinwhatsapp", "whatsappconsent", "subscribedwhatsapp"],
};

/** "E-mail Address " → "emailaddress". */
export function headerKey(header: string): string {
  return header
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

const LOOKUP = new Map<string, string>();
for (const [field, words] of Object.entries(SYNONYMS)) for (const w of words) LOOKUP.set(w, field);
for (const key of BUILTIN_KEYS) LOOKUP.set(headerKey(key), key);

/**
 * A field key (or "skip") for each header, in order. A field is given to the
 * first column that matches it only: repeated headers are never merged.
 */
export function autoMap(headers: string[], customSlugs: string[]): string[] {
  const custom = new Map(customSlugs.map((s) => [headerKey(s), s]));
  const taken = new Set<string>();
  return headers.map((h) => {
    const k = headerKey(h);
    const field = custom.get(k) ?? LOOKUP.get(k);
    if (!field || taken.has(field)) return SKIP;
    taken.add(field);
    return field;
  });
}

/** The key a remembered mapping is stored under: the set of headers, in order. */
export function headerSignature(headers: string[]): string {
  return JSON.stringify(headers.map((h) => h.trim()));
}
