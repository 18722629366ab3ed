import { DataTable } from "@/components/data-table";
import type { ApiUserWebhooks } from "@/lib/webhooks/api-user-webhooks";
import { CreateWebhookForm, DeleteWebhook, SendTestEvent } from "./webhook-forms";

const when = (iso: string | null) => (iso ? `${new Date(iso).toLocaleString("en-GB", { timeZone: "UTC" })} UTC` : "—");

/** Each API user's webhooks, disabled ones flagged, with their latest deliveries. */
export function WebhookList({ users }: { users: ApiUserWebhooks[] }) {
  return (
    <section aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">Webhooks</h2>
      <p>
        When an API user&apos;s import ends, each of its webhooks is sent the result, signed with the webhook&apos;s secret (Standard
        Webhooks). A webhook that has failed every delivery for 3 days is disabled.
      </p>
      {users.map((u) => (
        <section key={u.apiUserId} aria-label={`Webhooks of ${u.name}`}>
          <h3>{u.name}</h3>
          {u.webhooks.map((w) => (
            <div key={w.id} className="stack">
              <p>
                <code>{w.url}</code> ({w.events.map((e) => e.replace("deferred_result.", "")).join(", ")}){" "}
                {w.disabled_at ? (
                  <strong className="flag">Disabled {when(w.disabled_at)}: every delivery failed for 3 days</strong>
                ) : w.failing_since ? (
                  <strong className="flag">Failing since {when(w.failing_since)}</strong>
                ) : (
                  "Active"
                )}{" "}
                <SendTestEvent id={w.id} url={w.url} /> <DeleteWebhook apiUserId={u.apiUserId} id={w.id} url={w.url} />
              </p>
              {w.deliveries.length === 0 ? (
                <p className="hint">No deliveries yet.</p>
              ) : (
                <DataTable label={`Recent deliveries to ${w.url}`} columns={["Event", "Status", "Status code", "Attempts", "Next try", "Queued"]}>
                  {w.deliveries.map((d) => (
                    <tr key={d.id}>
                      <td>{d.type}</td>
                      <td>{d.status}</td>
                      <td>{d.last_status_code ?? "—"}</td>
                      <td>{d.attempts}</td>
                      <td>{when(d.next_attempt_at)}</td>
                      <td>{when(d.created_at)}</td>
                    </tr>
                  ))}
                </DataTable>
              )}
            </div>
          ))}
          <CreateWebhookForm apiUserId={u.apiUserId} name={u.name} />
        </section>
      ))}
    </section>
  );
}
