import fs from "node:fs";
import { expect, it } from "vitest";
import { TYPES_FILE, generateApiTypes } from "../scripts/api-types";

// The generated client types (e2e/support/api-types.ts) follow the OpenAPI document: a change to
// an operation's schemas that is not regenerated fails here, and a regenerated one that the API
// does not honour fails the typed client's e2e test (e2e/openapi-client.spec.ts).
it("e2e/support/api-types.ts is what openapi-typescript makes of the current document (npm run api:types)", async () => {
  expect(fs.readFileSync(TYPES_FILE, "utf8")).toBe(await generateApiTypes());
}, 30_000);
