import { requireStaffUser } from "@/lib/auth/staff-session";
import { listApiTokens } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db/client";
import { DataTable } from "@/components/data-table";
import { CreateTokenForm, RevokeToken } from "@/components/tokens/token-forms";
import { WebhookList } from "@/components/tokens/webhook-list";
import { listApiUserWebhooks } from "@/lib/webhooks/api-user-webhooks";

export const dynamic = "force-dynamic";

const when = (d: Date | null) => (d ? `${d.toLocaleString("en-GB", { timeZone: "UTC" })} UTC` : "Never");

export default async function TokensPage() {
  await requireStaffUser({ role: "admin" });
  const tokens = await listApiTokens(db());
  const webhooks = await listApiUserWebhooks(db());
  return (
    <main>
      <h1>API tokens</h1>
      <p>Each system that sends members through the API gets its own token. A token is shown once, when it is made.</p>
      <CreateTokenForm />
      {tokens.length > 0 && (
        <DataTable label="API tokens" columns={["Used by", "Starts with", "Created", "Last used", "Status"]}>
          {tokens.map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              <td>
                <code>{t.prefix}…</code>
              </td>
              <td>{when(t.createdAt)}</td>
              <td>{when(t.lastUsedAt)}</td>
              <td>{t.revokedAt ? `Revoked ${when(t.revokedAt)}` : <RevokeToken id={t.id} name={t.name} />}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {webhooks.length > 0 && <WebhookList users={webhooks} />}
    </main>
  );
}
