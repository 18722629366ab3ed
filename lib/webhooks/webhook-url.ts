// Where a webhook may point (contract: "Webhooks"): an absolute https URL, or
// http only for a host CSV_URL_ALLOWED_HOSTS names, and never an address the
// CSV fetch's guard refuses (lib/csv/safe-fetch.ts, the one address rule).
// Checked at registration and again at every delivery: a name that resolved
// to a public address then may resolve to a private one now.
import "server-only";
import { normaliseHost, refusedAddress, resolveHost, type Address } from "../csv/safe-fetch";
import { AppError } from "../errors";

export type CheckedUrl = { url: URL; host: string; addresses: Address[] };

/** Why the URL may not be used, as a sentence for the client. */
export class WebhookUrlRefused extends AppError {
  constructor(message: string) {
    super("invalid_payload", message, { details: [{ path: "url", message }] });
  }
}

/** The URL with the addresses it may be reached at (pinned for the request), or WebhookUrlRefused. */
export async function checkWebhookUrl(raw: string, allowedHosts: readonly string[]): Promise<CheckedUrl> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlRefused("The webhook URL is not an absolute URL");
  }
  const allowed = new Set(allowedHosts.map(normaliseHost).filter(Boolean));
  const host = normaliseHost(url.hostname);
  if (!host) throw new WebhookUrlRefused("The webhook URL has no host");
  if (url.protocol !== "https:" && !(url.protocol === "http:" && allowed.has(host))) {
    throw new WebhookUrlRefused("A webhook URL must be https (http only for a host CSV_URL_ALLOWED_HOSTS names)");
  }
  if (url.username || url.password) throw new WebhookUrlRefused("A webhook URL may not hold a user name or password");
  let addresses: Address[];
  try {
    addresses = await resolveHost(host);
  } catch {
    throw new WebhookUrlRefused(`The host ${host} could not be found`);
  }
  const refused = refusedAddress(host, addresses, allowed);
  if (refused) {
    throw new WebhookUrlRefused(
      `Refusing ${host}: ${refused}, which a webhook may not point to unless CSV_URL_ALLOWED_HOSTS names the host`,
    );
  }
  return { url, host, addresses };
}
