import { KeyRoundIcon } from "lucide-react";
import type { Metadata } from "next";
import { headers } from "next/headers";
import { CreateKeyDialog } from "@/components/api-keys/create-key-dialog";
import { KeysTable, type KeyRow } from "@/components/api-keys/keys-table";
import { getDb } from "@/db";
import { listApiKeys } from "@/db/queries/api-keys";
import { keyStatus } from "@/lib/keys/status";
import { describeAccess } from "@/lib/scopes";
import { requireUser } from "@/lib/session";

export const metadata: Metadata = { title: "API Keys" };

export default async function ApiKeysPage() {
  const user = await requireUser();
  const keys = await listApiKeys(await getDb(), user.id);
  const now = new Date();
  const rows: KeyRow[] = keys.map((k) => ({
    id: k.id,
    name: k.name,
    description: k.description,
    hint: k.hint,
    access: describeAccess(k.access, k.scopes),
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt,
    expiresAt: k.expiresAt,
    status: keyStatus(k, now),
  }));
  const origin = await requestOrigin();

  return (
    <section aria-labelledby="api-keys-heading" className="grid gap-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="max-w-2xl">
          <h2 id="api-keys-heading" className="text-lg font-semibold">
            API Keys
          </h2>
          <p className="mt-1 text-sm text-muted-foreground">
            Keys let your apps and scripts call the API as you. Send one in the{" "}
            <code className="font-mono text-xs">Authorization: Bearer</code> header. Give each key only the access it
            needs, and set an expiry.
          </p>
        </div>
        {rows.length > 0 && <CreateKeyDialog origin={origin} />}
      </div>
      {rows.length > 0 ? (
        <KeysTable rows={rows} now={now} />
      ) : (
        <div className="flex flex-col items-center gap-3 rounded-lg border border-dashed p-10 text-center">
          <span className="flex size-12 items-center justify-center rounded-full bg-muted">
            <KeyRoundIcon className="size-6 text-muted-foreground" aria-hidden />
          </span>
          <h3 className="font-medium">No API keys yet</h3>
          <p className="max-w-sm text-sm text-muted-foreground">
            Create your first key to call the API from a script, a CI job or another service.
          </p>
          <CreateKeyDialog origin={origin} />
        </div>
      )}
    </section>
  );
}

async function requestOrigin(): Promise<string> {
  if (process.env.APP_URL) return process.env.APP_URL.replace(/\/$/, "");
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000";
  const proto = h.get("x-forwarded-proto") ?? "http";
  return `${proto}://${host}`;
}
