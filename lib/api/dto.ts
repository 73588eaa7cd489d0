import type { ApiKeySummary } from "@/db/queries/api-keys";
import { keyStatus } from "../keys/status";
import { policy } from "../policy";

/** The public shape of a key in API responses: an allowlist, so no stored field leaks by accident. */
export function keyDto(key: ApiKeySummary, now = new Date()) {
  return {
    id: key.id,
    name: key.name,
    description: key.description,
    hint: key.hint,
    access: key.access,
    scopes: key.scopes,
    status: keyStatus(key, now, policy.rotationPeriodDays),
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: key.lastUsedIp,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    revokedReason: key.revokedReason,
    secretCreatedAt: key.secretCreatedAt.toISOString(),
    allowedIps: key.allowedIps,
  };
}
