import type { Metadata } from "next";
import { headers } from "next/headers";
import { KeysSection } from "@/components/api-keys/keys-section";
import { KeysTable, type KeyRow } from "@/components/api-keys/keys-table";
import { getDb } from "@/db";
import { listApiKeys } from "@/db/queries/api-keys";
import { isRotationDue, keyStatus } from "@/lib/keys/status";
import { policy } from "@/lib/policy";
import { describeAccess } from "@/lib/scopes";
import { requestNow } from "@/lib/request-clock";
import { requestOrigin } from "@/lib/request-context";
import { requireUser } from "@/lib/session";

export const metadata: Metadata = { title: "API Keys" };

export default async function ApiKeysPage() {
  const user = await requireUser();
  const keys = await listApiKeys(await getDb(), user.id);
  const now = await requestNow();
  const rows: KeyRow[] = keys.map((k) => ({
    id: k.id,
    name: k.name,
    description: k.description,
    hint: k.hint,
    access: describeAccess(k.access, k.scopes),
    accessMode: k.access,
    scopes: k.scopes,
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt,
    expiresAt: k.expiresAt,
    secretCreatedAt: k.secretCreatedAt,
    status: keyStatus(k, now, policy.rotationPeriodDays),
    rotationDue: isRotationDue(k, now, policy.rotationPeriodDays),
    revokedReason: k.revokedReason,
  }));
  const origin = requestOrigin(await headers());

  return (
    <KeysSection origin={origin} rows={rows} now={now} maxLifetimeDays={policy.maxLifetimeDays}>
      <KeysTable rows={rows} now={now} />
    </KeysSection>
  );
}
