// What the tokens page's webhook forms send (server actions in lib/actions/webhooks.ts).
import { z } from "zod";
import { createWebhookSchema } from "./webhook-schema";

export const staffCreateWebhookSchema = createWebhookSchema.extend({ apiUserId: z.uuid() });
export type StaffCreateWebhookInput = z.infer<typeof staffCreateWebhookSchema>;
export const webhookRefSchema = z.uuid();
/** A webhook the tokens page deletes: its API user's, like DELETE /api/webhooks/<id> asks. */
export const staffWebhookOfSchema = z.object({ apiUserId: z.uuid(), id: webhookRefSchema });
export type StaffWebhookOf = z.infer<typeof staffWebhookOfSchema>;
