// The webhook routes and the deliveries' bodies in the OpenAPI document
// (lib/openapi.ts builds it; this is its webhooks part).
import "server-only";
import type { z } from "zod";
import type { HTTP_ERROR_CODES } from "../errors";
import { TEST_EVENT, WEBHOOK_EVENTS, createWebhookSchema, createdWebhookSchema, deliveryPageSchema, webhookListSchema } from "./webhook-schema";

type Json = (schema: z.ZodType) => unknown;
type Helpers = {
  ok: (description: string, ref: string) => unknown;
  errorsOf: (...codes: (typeof HTTP_ERROR_CODES)[number][]) => Record<string, unknown>;
  idParameter: unknown;
};

export function webhookSchemas(json: Json) {
  return {
    CreateWebhook: json(createWebhookSchema),
    CreatedWebhook: json(createdWebhookSchema),
    WebhookList: json(webhookListSchema),
    WebhookDeliveryPage: json(deliveryPageSchema),
  };
}

export function webhookPaths({ ok, errorsOf, idParameter }: Helpers) {
  return {
    "/api/webhooks": {
      get: {
        summary: "List your webhooks",
        description: "The calling API user's webhook endpoints, without their secrets.",
        responses: { 200: ok("Your webhooks", "WebhookList"), ...errorsOf("unauthorized") },
      },
      post: {
        summary: "Register a webhook",
        description:
          "`url` is absolute https, or http only for a host CSV_URL_ALLOWED_HOSTS names; it follows the CSV fetch's address rules (no private, " +
          "loopback or link-local address), checked again at every delivery. The answer holds the signing `secret` (whsec_…), shown only here. " +
          "At most 10 per API user.",
        requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/CreateWebhook" } } } },
        responses: {
          201: ok("Registered; keep the secret", "CreatedWebhook"),
          ...errorsOf("invalid_payload", "unauthorized", "too_many_webhooks", "payload_too_large", "unsupported_media_type"),
        },
      },
    },
    "/api/webhooks/{id}": {
      delete: {
        summary: "Delete a webhook",
        parameters: [idParameter],
        responses: { 204: { description: "Deleted, with its deliveries" }, ...errorsOf("unauthorized", "not_found") },
      },
    },
    "/api/webhooks/{id}/deliveries": {
      get: {
        summary: "A webhook's deliveries",
        description: "Newest first; `next` pages with a keyset cursor.",
        parameters: [idParameter, { name: "cursor", in: "query", required: false, schema: { type: "string" } }],
        responses: { 200: ok("A page of deliveries", "WebhookDeliveryPage"), ...errorsOf("invalid_payload", "unauthorized", "not_found") },
      },
    },
  };
}

const signatureHeaders = [
  { name: "webhook-id", in: "header", required: true, description: "msg_…: the same on every retry of one delivery", schema: { type: "string" } },
  { name: "webhook-timestamp", in: "header", required: true, description: "Unix seconds", schema: { type: "string" } },
  {
    name: "webhook-signature",
    in: "header",
    required: true,
    description: "v1,<base64 HMAC-SHA256 with the secret's decoded bytes over `<id>.<timestamp>.<body>`> (Standard Webhooks)",
    schema: { type: "string" },
  },
];

const delivery = (summary: string, ref: string) => ({
  post: {
    summary,
    description:
      "Sent within 2 s of the event while the endpoint answers. No 2xx within 10 s: retried 5 s, 1 min, 5 min, 30 min, 2 h, 6 h and 16 h after " +
      "each failed try (8 tries over 24 h 36 min), then given up. At least once, in no guaranteed order. An endpoint that has failed every " +
      "delivery for 3 days is disabled.",
    parameters: signatureHeaders,
    requestBody: { required: true, content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } } },
    responses: { "2XX": { description: "Received" } },
  },
});

/** OpenAPI 3.1 `webhooks`: one entry per event type. */
export function webhookEvents() {
  return {
    ...Object.fromEntries(WEBHOOK_EVENTS.map((e) => [e, delivery(`A job ended ${e.replace("deferred_result.", "")}`, "WebhookPayload")])),
    [TEST_EVENT]: delivery("A test event (the tokens page's 'Send test event')", "TestWebhookPayload"),
  };
}
