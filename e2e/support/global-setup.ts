import fs from "node:fs";
import { HYGIENE_DIR } from "./recorder";

// Each pass starts with empty hygiene records (scripts/secret-hygiene.ts reads them afterwards).
export default function globalSetup() {
  for (const dir of ["e2e/.artifacts/secrets", HYGIENE_DIR]) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
  }
}
