import "server-only";
import { AppError } from "../errors";

/**
 * Reads a JSON request body, refusing a non-JSON content type before reading
 * and stopping as soon as the body passes `maxBytes` (nothing more is read).
 */
export async function readJsonBody(
  req: Request,
  maxBytes: number,
): Promise<{ value: unknown; raw: Uint8Array; text: string }> {
  const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json" && !type.endsWith("+json")) {
    throw new AppError("unsupported_media_type", "Send the body as JSON with Content-Type: application/json");
  }
  const tooLarge = () =>
    new AppError("payload_too_large", `The body is larger than ${maxBytes} bytes`, { extra: { limit_bytes: maxBytes } });
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();

  let raw: Uint8Array;
  if (Number.isFinite(declared) && req.headers.has("content-length")) {
    // The declared length is within the limit and the server holds the body
    // to it: read it whole (much faster than chunk by chunk).
    raw = new Uint8Array(await req.arrayBuffer());
  } else {
    raw = await readLimited(req, maxBytes, tooLarge);
  }
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
    return { value: JSON.parse(text), raw, text };
  } catch {
    throw new AppError("invalid_payload", "The body is not valid JSON", { details: [{ path: "", message: "not valid JSON" }] });
  }
}

/** A body of unknown length, read until it passes `maxBytes` (then nothing more is read). */
async function readLimited(req: Request, maxBytes: number, tooLarge: () => AppError): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      parts.push(value);
    }
  }
  return Buffer.concat(parts);
}
