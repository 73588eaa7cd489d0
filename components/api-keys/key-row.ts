import type { ApiKeySummary } from "@/db/queries/api-keys";
import { isRotationDue, keyStatus, type KeyStatus } from "@/lib/keys/status";
import { describeAccess, type Access } from "@/lib/scopes";

/** One key as the API Keys page shows it: the table, the row menus, the attention banner and the dialogs. */
export type KeyRow = {
  id: string;
  name: string;
  description: string | null;
  hint: string;
  /** Human description, e.g. "Restricted (Usage: Read)". */
  access: string;
  accessMode: Access;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  secretCreatedAt: Date;
  /** The most urgent status (the badge). */
  status: KeyStatus;
  /** The secret is older than the rotation period, even when the status shows something more urgent. */
  rotationDue: boolean;
  revokedReason: string | null;
  /** Client addresses allowed to use the key; null: any. */
  allowedIps: string[] | null;
  /** A team key's list only: who created it ("Created by"); null when no person did (a team key through the API). */
  createdBy?: { name: string; email: string } | null;
};

/** A stored key as a row, its status as of `now` under the deployment's rotation period. */
export function toKeyRow(k: ApiKeySummary, now: Date, rotationPeriodDays: number | null): KeyRow {
  return {
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
    status: keyStatus(k, now, rotationPeriodDays),
    rotationDue: isRotationDue(k, now, rotationPeriodDays),
    revokedReason: k.revokedReason,
    allowedIps: k.allowedIps,
  };
}
