import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { rotateKeyBody } from "../validation/api.schema";
import { DEFAULT_GRACE, GRACE_CHOICES } from "./grace";

// One rotation grace default everywhere a rotation does not say (issue 14): the API, the
// dashboard's rotate dialog and npm run rotate-key.
const ROOT = path.resolve(import.meta.dirname, "../..");

describe("the rotation grace default", () => {
  it("is one of the choices, and the API's when the body omits it", () => {
    expect(GRACE_CHOICES).toContain(DEFAULT_GRACE);
    expect(rotateKeyBody.parse({}).grace).toBe(DEFAULT_GRACE);
  });

  it("is what the rotate dialog starts on and what npm run rotate-key sends", () => {
    const dialog = fs.readFileSync(path.join(ROOT, "components/api-keys/rotate-key-dialog.tsx"), "utf8");
    expect(dialog).toMatch(/useState<GracePeriod>\(DEFAULT_GRACE\)/);
    const script = fs.readFileSync(path.join(ROOT, "scripts/rotate-key.mjs"), "utf8");
    expect(script).toContain(`args.grace ?? "${DEFAULT_GRACE}"`);
  });
});
