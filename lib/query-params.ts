// A query string read as one value per parameter, for the API's lists.
import { invalidPayload } from "./invalid-payload";

/** Each parameter's one value; one given twice is `invalid_payload` (else it would be read as its last copy without a word). */
export function singleParams(params: URLSearchParams): Record<string, string> {
  const repeated = [...new Set(params.keys())].filter((k) => params.getAll(k).length > 1);
  if (repeated.length > 0) throw invalidPayload(repeated.map((k) => ({ path: [k], message: "is given more than once" })));
  return Object.fromEntries(params);
}
