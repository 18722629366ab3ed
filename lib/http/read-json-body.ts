import "server-only";
import { AppError } from "../errors";

/**
 * A request as the body readers need it, whichever server received it
 * (Next.js's Web Request, or the front server's node:http request).
 */
export type IncomingRequest = {
  header(name: string): string | null;
  /** The whole body, already bounded by a declared Content-Length; null when none was declared. */
  readDeclared(): Promise<Uint8Array> | null;
  /** The body as it arrives, for bodies of undeclared length. */
  chunks(): AsyncIterable<Uint8Array>;
};

export function fromWebRequest(req: Request): IncomingRequest {
  return {
    header: (name) => req.headers.get(name),
    // the server holds the body to its Content-Length: read it whole (much faster than chunk by chunk)
    readDeclared: () => (req.headers.has("content-length") ? req.arrayBuffer().then((b) => new Uint8Array(b)) : null),
    chunks: () => webChunks(req.body),
  };
}

async function* webChunks(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // the reader stopped early (too large): read nothing more
    await reader.cancel().catch(() => {});
  }
}

/**
 * Reads a JSON request body, refusing a non-JSON content type before reading
 * and stopping as soon as the body passes `maxBytes` (nothing more is read).
 */
export async function readJsonBody(
  req: IncomingRequest | Request,
  maxBytes: number,
): Promise<{ value: unknown; raw: Uint8Array; text: string }> {
  const r = req instanceof Request ? fromWebRequest(req) : req;
  const type = (r.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json" && !type.endsWith("+json")) {
    throw new AppError("unsupported_media_type", "Send the body as JSON with Content-Type: application/json");
  }
  const tooLarge = () =>
    new AppError("payload_too_large", `The body is larger than ${maxBytes} bytes`, { extra: { limit_bytes: maxBytes } });
  const declared = Number(r.header("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const raw = (Number.isFinite(declared) ? await r.readDeclared() : null) ?? (await readLimited(r.chunks(), maxBytes, tooLarge));
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
    return { value: JSON.parse(text), raw, text };
  } catch {
    throw new AppError("invalid_payload", "The body is not valid JSON", { details: [{ path: "", message: "not valid JSON" }] });
  }
}

/** A body of unknown length, read until it passes `maxBytes` (then nothing more is read). */
async function readLimited(chunks: AsyncIterable<Uint8Array>, maxBytes: number, tooLarge: () => AppError): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const value of chunks) {
    size += value.byteLength;
    if (size > maxBytes) throw tooLarge(); // leaving the loop cancels the stream
    parts.push(value);
  }
  return Buffer.concat(parts);
}

/**
 * A body that may hold no options at all: nothing (no Content-Type needed),
 * or a JSON `{}`. Read to at most `maxBytes`, like every other body.
 */
export async function readNoOptionsBody(req: Request, maxBytes: number, what: string): Promise<void> {
  const r = fromWebRequest(req);
  const tooLarge = () =>
    new AppError("payload_too_large", `The body is larger than ${maxBytes} bytes`, { extra: { limit_bytes: maxBytes } });
  const declared = Number(r.header("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const raw = await readLimited(r.chunks(), maxBytes, tooLarge);
  const text = new TextDecoder("utf-8", { fatal: false }).decode(raw);
  if (text.trim() === "") return;
  const type = (r.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json" && !type.endsWith("+json")) {
    throw new AppError("unsupported_media_type", "Send no body, or {} with Content-Type: application/json");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("invalid_payload", "The body is not valid JSON", { details: [{ path: "", message: "not valid JSON" }] });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value) || Object.keys(value).length > 0) {
    throw new AppError("invalid_payload", `${what} takes no options: send no body, or {}`, { details: [{ path: "", message: "must be {}" }] });
  }
}
