"use server";

import { revalidatePath } from "next/cache";
import { db } from "../db/client";
import { env } from "../env";
import { staffAction } from "../http/staff-action";
import { queueTestEvent } from "../webhooks/test-event";
import { createWebhook, deleteWebhook } from "../webhooks/webhook-endpoints";
import { staffCreateWebhookSchema, staffWebhookOfSchema, webhookRefSchema } from "../webhooks/staff-webhook-schema";

/** Registers a webhook for an API user (admins); its secret is answered once. */
export const createWebhookAction = staffAction(
  staffCreateWebhookSchema,
  async ({ apiUserId, url, events }, user, by) => {
    const created = await createWebhook(db(), apiUserId, { url, events }, {
      allowedHosts: env().CSV_URL_ALLOWED_HOSTS,
      by,
    });
    revalidatePath("/tokens");
    return { secret: created.secret };
  },
  { role: "admin" },
);

/** Queues a webhook.test delivery to the endpoint, due now (the engine sends it). */
export const sendTestEventAction = staffAction(
  webhookRefSchema,
  async (id) => {
    await queueTestEvent(db(), id);
    revalidatePath("/tokens");
  },
  { role: "admin" },
);

/** Deletes a webhook and its deliveries (admins), audited as webhook_deleted like the API's DELETE. */
export const deleteWebhookAction = staffAction(
  staffWebhookOfSchema,
  async ({ apiUserId, id }, user, by) => {
    await deleteWebhook(db(), apiUserId, id, by);
    revalidatePath("/tokens");
  },
  { role: "admin" },
);
