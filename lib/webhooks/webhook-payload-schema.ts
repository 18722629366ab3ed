// The body each webhook delivery carries (contract: "Webhooks"), for the
// OpenAPI document's `webhooks` section.
import "server-only";
import { z } from "zod";
import { deferredResultSchema } from "../imports/deferred-result";
import { TEST_EVENT, webhookEventSchema } from "./webhook-schema";

export const webhookPayloadSchema = z.object({
  type: webhookEventSchema,
  timestamp: z.string().describe("When the job ended (ISO 8601)"),
  data: deferredResultSchema.describe("The deferred result as GET /api/deferred_results/{id} answers it"),
});

export const testWebhookPayloadSchema = z.object({
  type: z.literal(TEST_EVENT),
  timestamp: z.string(),
  data: z.object({ webhook_id: z.string(), message: z.string() }),
});
