// Generated members. Record g (0 ≤ g < 50,000,000) has external_id <prefix><g>,
// a unique email and a unique UK mobile number: +44 74 followed by g in 8
// digits, i.e. 074[0-4]… numbers, a range where every number is valid
// (g < 1,000,000 gives +447400000000…+447400999999).

export type BenchRecord = {
  external_id: string;
  first_name: string;
  last_name: string;
  email: string;
  phone_number: string;
  subscription_email: boolean;
  subscription_sms: string;
};

export const phoneOf = (g: number) => `+4474${String(g).padStart(8, "0")}`;

export function record(g: number, prefix = "M"): BenchRecord {
  if (!(g >= 0 && g < 50_000_000)) throw new Error(`record index out of range: ${g}`);
  return {
    external_id: `${prefix}${g}`,
    first_name: `First${g}`,
    last_name: `Last${g}`,
    email: `member${g}@example.org`,
    phone_number: phoneOf(g),
    subscription_email: g % 2 === 0,
    subscription_sms: "yes",
  };
}

/** The body of one bulk upsert: records from..from+count-1 (~180 KB for 1,000); the same JSON as
 * JSON.stringify of record(g), written out directly because the load clients make hundreds per second. */
export function bulkBody(from: number, count: number, prefix = "M"): string {
  if (!(from >= 0 && from + count <= 50_000_000)) throw new Error(`record index out of range: ${from}`);
  let out = '{"records":[';
  for (let g = from; g < from + count; g++) {
    if (g > from) out += ",";
    out +=
      `{"external_id":"${prefix}${g}","first_name":"First${g}","last_name":"Last${g}","email":"member${g}@example.org",` +
      `"phone_number":"${phoneOf(g)}","subscription_email":${g % 2 === 0},"subscription_sms":"yes"}`;
  }
  return out + "]}";
}

/** The same record as the pipeline stores it (email lower-case, phone E.164, flags booleans). */
export function normalisedRow(g: number, prefix = "M") {
  const r = record(g, prefix);
  return [r.external_id, r.first_name, r.last_name, r.email, r.phone_number, r.subscription_email, true] as const;
}

export const CSV_HEADER = "external_id,first_name,last_name,email,phone_number,subscription_email\n";

/** One CSV data line (~75 bytes: 1,000,000 rows ≈ 74 MB). */
export function csvLine(g: number, prefix = "C"): string {
  return `${prefix}${g},First${g},Last${g},member${g}@example.org,${phoneOf(g)},${g % 2 === 0}\n`;
}
