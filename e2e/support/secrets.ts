import fs from "node:fs";
import { randomUUID } from "node:crypto";

/** Records a key the UI showed, for scripts/secret-hygiene.ts (logs, storage and database are checked for it). */
export function rememberSecret(secret: string) {
  fs.mkdirSync("e2e/.artifacts/secrets", { recursive: true });
  fs.writeFileSync(`e2e/.artifacts/secrets/${randomUUID()}`, `${secret}\n`);
}

/**
 * Records a secret of no Keysmith format (an OIDC client secret, an authorization code) for
 * scripts/secret-hygiene.ts: it must be in no server log and no database row.
 */
export function rememberOpaqueSecret(secret: string) {
  fs.mkdirSync("e2e/.artifacts/opaque-secrets", { recursive: true });
  fs.writeFileSync(`e2e/.artifacts/opaque-secrets/${randomUUID()}`, `${secret}\n`);
}
