import { randomUUID } from "node:crypto";
import { expect, test } from "../support/fixtures";
import { AUTHZ_MATRIX, entryName, type ActionRow, type Column } from "./authz-matrix";
import { Walker, actionIds, type Answer } from "./authz-walker";

// Walks e2e/security/authz-matrix.ts against the production server: every row, every column,
// the outcome the table names, and for every refused call, proof that the owner's state did not
// change (and for every allowed change, that it did: the check can fail). The walker that makes
// each cell's request and classifies the answer is e2e/security/authz-walker.ts.

test.describe("authorization matrix", () => {
  // One world (users, sessions, keys) for every row, built once by the worker that runs this file.
  test.describe.configure({ mode: "default", timeout: 120_000 });
  let walker: Walker;

  test.beforeAll(async ({ playwright, baseURL }) => {
    test.setTimeout(120_000);
    walker = new Walker(playwright, baseURL!);
    await walker.setUp();
  });

  test("the build's server actions are exactly the table's", async () => {
    const inBuild = [...actionIds().keys()].sort();
    const inTable = AUTHZ_MATRIX.filter((r) => r.kind === "action").map((r) => `${r.file}#${(r as ActionRow).name}`).sort();
    expect(inBuild).toEqual(inTable);
  });

  for (const kind of ["page", "route", "action"] as const) {
    for (const row of AUTHZ_MATRIX.filter((r) => r.kind === kind)) {
      test(`${entryName(row)}`, async () => {
        await walker.walk(row);
      });
    }
  }

  test("another user's key answers exactly as a missing or malformed id (no existence oracle)", async () => {
    // Rows where another user is refused for not owning the key (admin actions refuse members for their role).
    const rows = AUTHZ_MATRIX.filter((r) => JSON.stringify(r).includes("{keyId}") && !r.adminOnly && (r.cells.other === "not_found" || r.cells.otherKey === "not_found"));
    expect(rows.length).toBeGreaterThanOrEqual(9);
    for (const row of rows) {
      const column: Column = row.cells.other === "not_found" ? "other" : "otherKey";
      const { keyId: owned } = await walker.targetKey(row.kind === "route" ? row.scope : undefined);
      const untouched = await walker.snapshot("ownerKey", { keyId: owned });
      const answers: Answer[] = [];
      for (const keyId of [owned, randomUUID(), "not-a-uuid"]) {
        const answer = await walker.call(row, column, walker.vars({ keyId }));
        answers.push(answer);
      }
      const [mine, missing, malformed] = answers.map((a) =>
        row.kind === "page" ? { status: a.status } : { status: a.status, action: a.action ?? null, json: a.json },
      );
      expect(mine, `${entryName(row)}: someone else's key vs a missing id`).toEqual(missing);
      expect(mine, `${entryName(row)}: someone else's key vs a malformed id`).toEqual(malformed);
      // Actions answer 200 with { ok: false } (checked by the matrix); pages and routes a 404.
      expect(mine!.status, entryName(row)).toBe(row.kind === "action" ? 200 : 404);
      // The owned key is untouched by all of it.
      expect(await walker.snapshot("ownerKey", { keyId: owned }), entryName(row)).toBe(untouched);
    }
  });
});
