import fs from "node:fs";
import { randomUUID } from "node:crypto";

/** Records a key the UI showed, for the teardown's check of the server log. */
export function rememberSecret(secret: string) {
  fs.mkdirSync("e2e/.artifacts/secrets", { recursive: true });
  fs.writeFileSync(`e2e/.artifacts/secrets/${randomUUID()}`, `${secret}\n`);
}
