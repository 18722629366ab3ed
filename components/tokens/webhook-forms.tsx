"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { createWebhookAction, deleteWebhookAction, sendTestEventAction } from "@/lib/actions/webhooks";
import { staffCreateWebhookSchema, type StaffCreateWebhookInput } from "@/lib/webhooks/staff-webhook-schema";
import { WEBHOOK_EVENTS } from "@/lib/webhooks/webhook-schema";
import { ActionButton } from "@/components/action-button";

/** Registers a webhook for one API user; its signing secret is shown once. */
export function CreateWebhookForm({ apiUserId, name }: { apiUserId: string; name: string }) {
  const [secret, setSecret] = useState<string | null>(null);
  const { register, handleSubmit, setError, reset, formState } = useForm<StaffCreateWebhookInput>({
    resolver: zodResolver(staffCreateWebhookSchema),
    defaultValues: { apiUserId, url: "", events: [...WEBHOOK_EVENTS] },
  });
  const { errors } = formState;
  return (
    <>
      <form
        className="stack"
        aria-label={`New webhook for ${name}`}
        onSubmit={handleSubmit(async (values) => {
          const r = await createWebhookAction(values);
          if (r.ok) {
            setSecret(r.data.secret);
            reset();
          } else setError("url", { message: r.error.message });
        })}
      >
        <label>
          Webhook URL <input {...register("url")} type="url" placeholder="https://example.org/hooks/imports" aria-invalid={!!errors.url} />
          {errors.url && <span className="field-error">{errors.url.message}</span>}
        </label>
        <fieldset>
          <legend>Send when an import is</legend>
          {WEBHOOK_EVENTS.map((e) => (
            <label key={e}>
              <input type="checkbox" value={e} {...register("events")} /> {e.replace("deferred_result.", "")}
            </label>
          ))}
          {errors.events && <span className="field-error">Choose at least one</span>}
        </fieldset>
        <ActionButton type="submit" disabled={formState.isSubmitting}>
          Add webhook
        </ActionButton>
      </form>
      {secret && (
        <div className="token-once" role="status">
          <p>
            <strong>Copy this signing secret now: it will not be shown again.</strong>
          </p>
          <code data-testid="new-webhook-secret">{secret}</code>
        </div>
      )}
    </>
  );
}

/** Queues a webhook.test delivery to the endpoint; the page lists it at once. */
export function SendTestEvent({ id, url }: { id: string; url: string }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null; sent: boolean }>({ busy: false, error: null, sent: false });
  return (
    <>
      <ActionButton
        disabled={state.busy}
        aria-label={`Send a test event to ${url}`}
        onClick={async () => {
          setState({ busy: true, error: null, sent: false });
          const r = await sendTestEventAction(id);
          setState({ busy: false, error: r.ok ? null : r.error.message, sent: r.ok });
        }}
      >
        Send test event
      </ActionButton>
      <span role="status">{state.sent ? " Test event queued" : ""}</span>
      {state.error && (
        <span className="field-error" role="alert">
          {state.error}
        </span>
      )}
    </>
  );
}

/** Deletes the webhook and its deliveries, after a confirmation (the page drops it once done). */
export function DeleteWebhook({ apiUserId, id, url }: { apiUserId: string; id: string; url: string }) {
  const [state, setState] = useState<{ confirming: boolean; busy: boolean; error: string | null }>({ confirming: false, busy: false, error: null });
  if (!state.confirming) {
    return (
      <ActionButton onClick={() => setState({ confirming: true, busy: false, error: null })} aria-label={`Delete the webhook to ${url}`}>
        Delete
      </ActionButton>
    );
  }
  return (
    <span role="group" aria-label={`Confirm deleting the webhook to ${url}`}>
      Nothing more will be sent to it, and its deliveries are forgotten.{" "}
      <button
        type="button"
        disabled={state.busy}
        onClick={async () => {
          setState({ confirming: true, busy: true, error: null });
          const r = await deleteWebhookAction({ apiUserId, id });
          if (!r.ok) setState({ confirming: true, busy: false, error: r.error.message });
        }}
      >
        Yes, delete
      </button>{" "}
      <button type="button" onClick={() => setState({ confirming: false, busy: false, error: null })}>
        Cancel
      </button>
      {state.error && (
        <span className="field-error" role="alert">
          {state.error}
        </span>
      )}
    </span>
  );
}
