// What the tokens page's webhook forms send (server actions in lib/actions/webhooks.ts).
import { z } from "zod";
import { createWebhookSchema } from "./webhook-schema";

export const staffCreateWebhookSchema = createWebhookSchema.extend({ apiUserId: z.uuid() });
export type StaffCreateWebhookInput = z.infer<typeof staffCreateWebhookSchema>;
export const webhookRefSchema = z.uuid();
