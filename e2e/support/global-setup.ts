import fs from "node:fs";

export default function globalSetup() {
  fs.mkdirSync("e2e/.artifacts/secrets", { recursive: true });
  for (const f of fs.readdirSync("e2e/.artifacts/secrets")) fs.rmSync(`e2e/.artifacts/secrets/${f}`);
}
