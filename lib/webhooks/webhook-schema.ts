// What the webhook routes take and answer (contract: "Webhooks"), as zod
// schemas: the routes parse with them and the OpenAPI document is built
// from them.
import { z } from "zod";

export const WEBHOOK_EVENTS = ["deferred_result.ready", "deferred_result.failed", "deferred_result.cancelled"] as const;
export const webhookEventSchema = z.enum(WEBHOOK_EVENTS);
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

/** The type of the event "Send test event" queues (tokens page): not one a client subscribes to. */
export const TEST_EVENT = "webhook.test";

/** An API user may have this many endpoints. */
export const MAX_WEBHOOKS = 10;

export const createWebhookSchema = z
  .object({
    url: z.string().trim().min(1).max(2_000).describe("absolute https URL (http only for a host CSV_URL_ALLOWED_HOSTS names)"),
    events: z.array(webhookEventSchema).min(1).max(WEBHOOK_EVENTS.length),
  })
  .strict();
export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;

export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(webhookEventSchema),
  created_at: z.string(),
  failing_since: z.string().nullable().describe("Since when every delivery has failed (null: the last one succeeded)"),
  disabled_at: z.string().nullable().describe("When it was disabled after 3 days of failing every delivery (nothing more is sent)"),
});
export type Webhook = z.infer<typeof webhookSchema>;

export const createdWebhookSchema = webhookSchema
  .pick({ id: true, url: true, events: true, created_at: true })
  .extend({ secret: z.string().describe("whsec_…: the signing secret, shown only in this answer") });
export type CreatedWebhook = z.infer<typeof createdWebhookSchema>;

export const webhookListSchema = z.object({ webhooks: z.array(webhookSchema) });

export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export const deliverySchema = z.object({
  id: z.string().describe("msg_…: the webhook-id header, the same on every try"),
  type: z.string(),
  deferred_result_id: z.string().nullable().describe("null only for a test event"),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  last_status_code: z.number().int().nullable(),
  next_attempt_at: z.string().nullable(),
  created_at: z.string(),
});
export type Delivery = z.infer<typeof deliverySchema>;
export const deliveryPageSchema = z.object({ deliveries: z.array(deliverySchema), next: z.string().nullable() });

export const webhookIdSchema = z.string().min(1).max(100);
