import fs from "node:fs";
import { randomUUID } from "node:crypto";

/** Records a key the UI showed, for scripts/secret-hygiene.ts (logs, storage and database are checked for it). */
export function rememberSecret(secret: string) {
  fs.mkdirSync("e2e/.artifacts/secrets", { recursive: true });
  fs.writeFileSync(`e2e/.artifacts/secrets/${randomUUID()}`, `${secret}\n`);
}
