import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  HOSTILE_DATETIMES,
  HOSTILE_DAYS,
  HOSTILE_IDS,
  HOSTILE_NUMBERS,
  WRONG_TYPES,
  hostileStrings,
  storedText,
  type HostileString,
} from "@/test/hostile-values";
import { approveRequestSchema, denyRequestSchema, keyRequestSchema, teamPolicySchema } from "./team-policy.schema";
import { DECISION_REASON_MAX, JUSTIFICATION_MAX } from "./team-policy.limits";
import { addMemberSchema, changeMemberRoleSchema, createTeamSchema, deleteTeamSchema, renameTeamSchema, transferOwnershipSchema, TEAM_NAME_MAX } from "./team.schema";
import { activityFilters, adminKeyFilters, auditFilters, revokeKeysInput, roleInput, userFilters } from "./admin.schema";
import { DESCRIPTION_MAX, NAME_MAX, createApiKeyFormValues, resolveCreateApiKey, resolveEditApiKey } from "./api-key.schema";
import {
  createKeyBody,
  leakReportBody,
  listQuery,
  patchKeyBody,
  profilePatchBody,
  rotateKeyBody,
  usageQuery,
  verifyKeyBody,
} from "./api.schema";
import { signInSchema, signUpSchema } from "./auth.schema";
import { DAY_MS } from "../time";
import { fieldErrorsOf, hasForbiddenCharacters, plainText } from "./common";

// Every schema that takes input from outside (forms, JSON bodies, URLs) is fed the hostile
// catalogue field by field. Each answer must be either a refusal naming the field with a
// sentence, or a value that is safe to store and show. fast-check then throws arbitrary values
// (any JSON, prototypes, odd objects, any code point) at each schema: none may throw.

const NOW = new Date("2026-11-23T12:00:00Z");
const ID = "00000000-0000-4000-8000-000000000001";

type Result = { success: true; data: unknown } | { success: false; error: z.ZodError };
type Parser = (raw: unknown) => Result;

/** Runs a parser and asserts it returned (never threw) and that any refusal carries messages. */
function run(parse: Parser, raw: unknown): Result {
  let result: Result | undefined;
  expect(() => (result = parse(raw))).not.toThrow();
  if (!result!.success) {
    expect(result!.error.issues.length).toBeGreaterThan(0);
    for (const issue of result!.error.issues) expect(issue.message.trim().length, JSON.stringify(issue)).toBeGreaterThan(5);
  }
  return result!;
}

function refusal(parse: Parser, raw: unknown, field: string): string {
  const result = run(parse, raw);
  expect(result.success, `expected ${field} to be refused for ${JSON.stringify(raw).slice(0, 120)}`).toBe(false);
  const errors = fieldErrorsOf((result as { error: z.ZodError }).error);
  // The refusal names the field, or an item inside it ("permissions.keys", "scopes.0").
  const key = Object.keys(errors).find((k) => k === field || k.startsWith(`${field}.`) || field.startsWith(`${k}.`));
  expect(key, `errors: ${JSON.stringify(errors)}`).toBeTruthy();
  return errors[key!]!;
}

function accepted(parse: Parser, raw: unknown): Record<string, unknown> {
  const result = run(parse, raw);
  expect(result.success, result.success ? "" : JSON.stringify(fieldErrorsOf(result.error))).toBe(true);
  return (result as { data: Record<string, unknown> }).data;
}

const create: Parser = (raw) => resolveCreateApiKey(raw, NOW);
const edit: Parser = (raw) => resolveEditApiKey(raw, NOW);
const schema =
  (s: z.ZodType): Parser =>
  (raw) =>
    s.safeParse(raw);

type TextField = {
  name: string;
  parse: Parser;
  base: Record<string, unknown>;
  field: string;
  max: number;
  required: boolean;
  /** Where the accepted value ends up in the parsed output. */
  out?: string;
  /** Extra minimum length (the revoke reason needs 3 characters). */
  min?: number;
};

const TEXT_FIELDS: TextField[] = [
  { name: "create form: name", parse: create, base: { access: "full", expiration: "30" }, field: "name", max: NAME_MAX, required: true },
  { name: "create form: description", parse: create, base: { name: "n", access: "full", expiration: "30" }, field: "description", max: DESCRIPTION_MAX, required: false },
  { name: "edit form: name", parse: edit, base: { access: "full", expiration: "keep" }, field: "name", max: NAME_MAX, required: true },
  { name: "edit form: description", parse: edit, base: { name: "n", access: "full", expiration: "keep" }, field: "description", max: DESCRIPTION_MAX, required: false },
  { name: "POST /keys: name", parse: schema(createKeyBody), base: { scopes: ["keys:read"] }, field: "name", max: NAME_MAX, required: true },
  { name: "POST /keys: description", parse: schema(createKeyBody), base: { name: "n", scopes: ["keys:read"] }, field: "description", max: DESCRIPTION_MAX, required: false },
  { name: "PATCH /keys/{id}: name", parse: schema(patchKeyBody), base: {}, field: "name", max: NAME_MAX, required: true },
  { name: "PATCH /keys/{id}: description", parse: schema(patchKeyBody), base: {}, field: "description", max: DESCRIPTION_MAX, required: false },
  { name: "PATCH /profile: name", parse: schema(profilePatchBody), base: {}, field: "name", max: 80, required: true },
  { name: "sign-up: name", parse: schema(signUpSchema), base: { email: "a@b.co", password: "p".repeat(12) }, field: "name", max: 80, required: true },
  { name: "create team: name", parse: schema(createTeamSchema), base: { slug: "platform" }, field: "name", max: TEAM_NAME_MAX, required: true },
  { name: "rename team: name", parse: schema(renameTeamSchema), base: {}, field: "name", max: TEAM_NAME_MAX, required: true },
  { name: "admin revoke: reason", parse: schema(revokeKeysInput), base: { ids: [ID] }, field: "reason", max: 200, required: true, min: 3 },
  { name: "key request: name", parse: schema(keyRequestSchema), base: { scopes: ["keys:read"], expiresAt: null }, field: "name", max: NAME_MAX, required: true },
  { name: "key request: justification", parse: schema(keyRequestSchema), base: { name: "n", scopes: ["keys:read"], expiresAt: null }, field: "justification", max: JUSTIFICATION_MAX, required: false },
  { name: "deny a key request: reason", parse: schema(denyRequestSchema), base: { requestId: ID }, field: "reason", max: DECISION_REASON_MAX, required: true },
  { name: "approve a key request: note", parse: schema(approveRequestSchema), base: { requestId: ID }, field: "reason", max: DECISION_REASON_MAX, required: false },
];

describe("team policy: hostile numbers and scopes", () => {
  const base = { maxLifetimeDays: null, requireExpiry: false, developerScopes: null, approvalFrom: null, ipsRequiredForFull: false };
  const parse = (patch: Record<string, unknown>) => teamPolicySchema(null).safeParse({ ...base, ...patch });
  it.each([...HOSTILE_NUMBERS, 0, -1, 3651, 1e308, Number.NaN, Infinity, 1.5, "30", true, [], {}])("maxLifetimeDays %j is refused", (value) => {
    expect(parse({ maxLifetimeDays: value }).success).toBe(false);
  });
  it.each(["", "keys:admin", "KEYS:READ", "keys:read ", "__proto__", "x".repeat(65), 42, null, {}])("developer scope %j is refused", (value) => {
    expect(parse({ developerScopes: [value] }).success).toBe(false);
  });
  it.each(["none", "FULL", "admin", "", 1, [], {}])("approval threshold %j is refused", (value) => {
    expect(parse({ approvalFrom: value }).success).toBe(false);
  });
  it("refuses unknown fields and a flood of scopes", () => {
    expect(parse({ role: "owner" }).success).toBe(false);
    expect(parse({ developerScopes: Array.from({ length: 1000 }, () => "keys:read") }).success).toBe(false);
  });
});

describe.each(TEXT_FIELDS)("$name", ({ parse, base, field, max, required, out = field, min = 1 }) => {
  const cases = hostileStrings(max).map((h) => [h.label, h] as [string, HostileString]);

  it.each(cases)("%s", (_label, h) => {
    const blank = h.class === "empty" || h.class === "whitespace";
    if (h.text === "reject" && !(blank && !required)) {
      const message = refusal(parse, { ...base, [field]: h.value }, field);
      // The sentence says what is wrong, in words a person can act on.
      if (blank) expect(message).toMatch(/name|enter|give|reason/i);
      else if (h.class === "overlong") expect(message).toMatch(new RegExp(`at most ${max}`));
      else expect(message).toMatch(/not allowed|visible|give|enter/i);
      return;
    }
    const data = accepted(parse, { ...base, [field]: h.value });
    if (blank) {
      expect(data[out] || null).toBeNull();
    } else {
      expect(storedText(h.value).length).toBeGreaterThanOrEqual(min);
      expect(data[out]).toBe(storedText(h.value));
    }
  });

  it.each(WRONG_TYPES.map((w) => [w.label, w.value] as const))("refuses %s", (_label, value) => {
    if (value === null && !required && parse !== create && parse !== edit) {
      // JSON null clears an optional description on the API.
      expect(accepted(parse, { ...base, [field]: value })[out] ?? null).toBeNull();
      return;
    }
    refusal(parse, { ...base, [field]: value }, field);
  });
});

describe("plain text, for any string at all (fast-check)", () => {
  const name = plainText("Name", 64, { required: "Enter a name." });
  const optional = plainText("Description", 280);

  it("stores only NFC, trimmed, bounded text with something visible and nothing forbidden", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 80 }), (s) => {
        for (const [schemaOf, max] of [
          [name, 64],
          [optional, 280],
        ] as const) {
          const result = schemaOf.safeParse(s);
          if (!result.success) {
            expect(result.error.issues[0]!.message.length).toBeGreaterThan(5);
            continue;
          }
          const v = result.data;
          expect(v).toBe(v.normalize("NFC"));
          expect(v).toBe(v.trim());
          expect(v.length).toBeLessThanOrEqual(max);
          expect(hasForbiddenCharacters(v)).toBe(false);
          if (schemaOf === name) expect(v).toMatch(/[^\s\p{Default_Ignorable_Code_Point}]/u);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps ordinary text of every script", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }), (s) => {
        const visible = s.replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu, "").trim();
        fc.pre(visible.length > 0);
        const result = name.safeParse(visible);
        expect(result.success && result.data).toBe(visible.normalize("NFC").trim());
      }),
      { numRuns: 500 },
    );
  });
});

describe("the key forms' other fields", () => {
  const base = { name: "n", access: "full", expiration: "30" };

  it("refuse every hostile access, expiration and permission value with a message", () => {
    for (const value of [...WRONG_TYPES.map((w) => w.value), "", "FULL", "full ", "root", "__proto__", "\u0000"]) {
      refusal(create, { ...base, access: value }, "access");
      refusal(create, { ...base, expiration: value }, "expiration");
    }
    for (const permissions of [[], "keys", 1, { keys: "admin" }, { keys: 1 }, { nukes: "write" }, JSON.parse('{"__proto__":"write"}'), { constructor: "read" }]) {
      refusal(create, { ...base, access: "restricted", permissions }, "permissions");
    }
    for (const specials of ["keys:verify", [1], ["keys:sudo"], ["x".repeat(65)], Array(21).fill("keys:verify"), [null]]) {
      refusal(create, { ...base, specials }, "specials");
    }
  });

  it.each(HOSTILE_DAYS)("custom date %j is refused, or is a day within 365 days", (customDate) => {
    const result = run(create, { ...base, expiration: "custom", customDate });
    if (!result.success) {
      expect(fieldErrorsOf(result.error).customDate).toMatch(/Pick/);
      return;
    }
    const expiresAt = (result.data as { expiresAt: Date }).expiresAt;
    expect(expiresAt.getTime()).toBeGreaterThan(NOW.getTime());
    expect(expiresAt.getTime()).toBeLessThanOrEqual(NOW.getTime() + 366 * DAY_MS);
  });

  it("refuse extra fields, and FormData holding files instead of text", () => {
    refusal(create, { ...base, userId: ID }, "form");
    const form = new FormData();
    form.set("name", new Blob(["<b>x</b>"]), "name.txt");
    form.set("access", "full");
    form.set("expiration", "never");
    expect(refusal(create, createApiKeyFormValues(form), "name")).toMatch(/Give the key a name/);
  });
});

describe("API bodies", () => {
  const now = Date.now();

  it("refuse hostile scopes with a message", () => {
    for (const scopes of [...WRONG_TYPES.map((w) => w.value), ["keys:root"], ["KEYS:READ"], ["keys:read\u0000"], ["x".repeat(65)], Array(51).fill("keys:read"), [["keys:read"]]]) {
      refusal(schema(createKeyBody), { name: "n", scopes }, "scopes");
    }
  });

  it.each(HOSTILE_DATETIMES)("expiresAt %j is refused, or a future date within 365 days", (expiresAt) => {
    const result = run(schema(createKeyBody), { name: "n", scopes: ["keys:read"], expiresAt });
    if (!result.success) {
      expect(fieldErrorsOf(result.error).expiresAt).toMatch(/expiresAt/);
      return;
    }
    const at = (result.data as { expiresAt: Date }).expiresAt;
    expect(Number.isNaN(at.getTime())).toBe(false);
    expect(at.getTime()).toBeGreaterThan(now);
    expect(at.getTime()).toBeLessThanOrEqual(now + 366 * DAY_MS);
  });

  it("refuse wrong types and unknown fields everywhere", () => {
    for (const [s, valid] of [
      [createKeyBody, { name: "n", scopes: ["keys:read"] }],
      [patchKeyBody, { name: "n" }],
      [profilePatchBody, { name: "n" }],
      [verifyKeyBody, { key: "k" }],
      [rotateKeyBody, { grace: "1h" }],
      [leakReportBody, { keys: ["k"] }],
    ] as const) {
      expect(s.safeParse(valid).success).toBe(true);
      for (const w of WRONG_TYPES) expect(s.safeParse(w.value).success, `${w.label}`).toBe(false);
      expect(s.safeParse("{}").success).toBe(false);
      expect(s.safeParse({ ...valid, userId: ID }).success).toBe(false);
    }
    expect(patchKeyBody.safeParse({}).success).toBe(false);
    for (const grace of [...WRONG_TYPES.map((w) => w.value), "", "1H", "8d", "none\u0000"]) refusal(schema(rotateKeyBody), { grace }, "grace");
    for (const key of [...WRONG_TYPES.map((w) => w.value), "k".repeat(257)]) refusal(schema(verifyKeyBody), { key }, "key");
  });

  it("refuse leak reports with controls in their source, or too many or too long tokens", () => {
    expect(leakReportBody.safeParse([{ token: "t", source: "github\u0000" }]).success).toBe(false);
    expect(leakReportBody.safeParse([{ token: "t", source: "github" }]).success).toBe(true);
    expect(leakReportBody.safeParse({ keys: Array(101).fill("k") }).success).toBe(false);
    expect(leakReportBody.safeParse({ keys: ["k".repeat(257)] }).success).toBe(false);
    expect(leakReportBody.safeParse({ keys: [] }).success).toBe(false);
  });

  it.each(HOSTILE_NUMBERS)("paging value %j is refused, or an integer in range", (value) => {
    for (const field of ["limit", "offset"] as const) {
      const result = listQuery.safeParse({ [field]: value });
      if (!result.success) continue;
      const n = result.data[field];
      expect(Number.isInteger(n)).toBe(true);
      expect(n).toBeGreaterThanOrEqual(field === "limit" ? 1 : 0);
      expect(n).toBeLessThanOrEqual(field === "limit" ? 100 : 1_000_000);
    }
    const days = usageQuery.safeParse({ days: value });
    if (days.success) expect(days.data.days).toBeGreaterThanOrEqual(1);
  });

  it("refuse ids that are not UUIDs in the usage filter", () => {
    for (const keyId of HOSTILE_IDS.filter((id) => !/^[0-9a-f-]{36}$/.test(id))) expect(usageQuery.safeParse({ keyId }).success).toBe(false);
  });
});

describe("sign-in and sign-up", () => {
  it("refuse hostile emails and passwords with a message, and keep accepted emails plain", () => {
    for (const h of [...hostileStrings(254), ...WRONG_TYPES.map((w) => ({ label: w.label, value: w.value }))]) {
      for (const s of [signUpSchema, signInSchema]) {
        const result = run(schema(s), { name: "n", email: h.value, password: "p".repeat(12) });
        if (result.success) {
          const email = (result.data as { email: string }).email;
          expect(email).toMatch(/^[^\s@]+@[^\s@]+$/);
          expect(hasForbiddenCharacters(email)).toBe(false);
        } else expect(fieldErrorsOf(result.error).email).toBeTruthy();
      }
    }
    for (const password of [...WRONG_TYPES.map((w) => w.value), "", "p".repeat(257), "🔑".repeat(257)]) {
      refusal(schema(signUpSchema), { name: "n", email: "a@b.co", password }, "password");
      refusal(schema(signInSchema), { email: "a@b.co", password }, "password");
    }
  });
});

describe("team fields", () => {
  it("refuses every hostile or wrongly typed slug, email, role, member id and confirmation with a field error", () => {
    const values = [...hostileStrings(40).map((h) => h.value), ...WRONG_TYPES.map((w) => w.value), "a", "-ab", "ab-", "AB", "a_b", "../x", "a/b", "%2e%2e", "ab\u0000"];
    for (const value of values) {
      const slug = run(schema(createTeamSchema), { name: "Team", slug: value });
      if (slug.success) expect((slug.data as { slug: string }).slug).toMatch(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/);
      else expect(fieldErrorsOf(slug.error).slug).toBeTruthy();
      refusal(schema(addMemberSchema), { email: "a@b.co", role: value }, "role");
      refusal(schema(changeMemberRoleSchema), { userId: value, role: "admin" }, "userId");
      refusal(schema(transferOwnershipSchema), { userId: value }, "userId");
      const email = run(schema(addMemberSchema), { email: value, role: "viewer" });
      if (email.success) expect(hasForbiddenCharacters((email.data as { email: string }).email)).toBe(false);
      else expect(fieldErrorsOf(email.error).email).toBeTruthy();
      const confirm = run(schema(deleteTeamSchema), { confirmSlug: value });
      if (!confirm.success) expect(fieldErrorsOf(confirm.error).confirmSlug).toBeTruthy();
    }
    refusal(schema(transferOwnershipSchema), { userId: ID, stepDown: "yes" }, "stepDown");
  });
});

describe("admin URL filters and inputs", () => {
  const textValues = [...hostileStrings(254).map((h) => h.value), ...HOSTILE_NUMBERS, ...HOSTILE_DAYS, ...HOSTILE_IDS];

  it("fall back to defaults on any hostile value, and never pass forbidden characters to a query", () => {
    for (const [s, fields] of [
      [adminKeyFilters, ["q", "status", "owner", "scope", "usage", "sort", "dir", "page"]],
      [auditFilters, ["action", "actor", "target", "from", "to", "page"]],
      [userFilters, ["q", "role", "page"]],
      [activityFilters, ["page"]],
    ] as const) {
      for (const field of fields) {
        for (const value of textValues) {
          const result = s.safeParse({ [field]: value });
          expect(result.success, `${field}=${JSON.stringify(value).slice(0, 40)}`).toBe(true);
          const data = result.data as Record<string, unknown>;
          expect(Number.isInteger(data.page) && (data.page as number) >= 1 && (data.page as number) <= 100_000).toBe(true);
          for (const v of Object.values(data)) if (typeof v === "string") expect(hasForbiddenCharacters(v), `${field}: ${JSON.stringify(v).slice(0, 40)}`).toBe(false);
        }
      }
    }
  });

  it("keep only days PostgreSQL and JavaScript both read", () => {
    for (const value of HOSTILE_DAYS) {
      const { from, to } = auditFilters.parse({ from: value, to: value });
      for (const d of [from, to]) {
        if (d === undefined) continue;
        const end = new Date(new Date(`${d}T00:00:00Z`).getTime() + DAY_MS);
        expect(end.toISOString()).toMatch(/^\d{4}-/);
        expect(d >= "1900-01-01").toBe(true);
      }
    }
    expect(auditFilters.parse({ from: "2026-02-28" }).from).toBe("2026-02-28");
  });

  it("refuse hostile ids, reasons and roles with a message", () => {
    for (const id of HOSTILE_IDS.filter((i) => !/^[0-9a-f-]{36}$/.test(i))) {
      refusal(schema(revokeKeysInput), { ids: [id], reason: "leaked" }, "ids.0");
      refusal(schema(roleInput), { userId: id, role: "admin" }, "userId");
    }
    refusal(schema(revokeKeysInput), { ids: [], reason: "leaked" }, "ids");
    refusal(schema(revokeKeysInput), { ids: Array(501).fill(ID), reason: "leaked" }, "ids");
    refusal(schema(revokeKeysInput), { ids: [ID], reason: "ab" }, "reason");
    for (const role of [...WRONG_TYPES.map((w) => w.value), "owner", "ADMIN", "admin\u0000"]) refusal(schema(roleInput), { userId: ID, role }, "role");
  });
});

describe("no input makes a schema throw (fast-check)", () => {
  const anything = fc.anything({
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withBoxedValues: true,
    withTypedArray: true,
    withSparseArray: true,
    withUnicodeString: true,
  });
  const parsers: [string, Parser, string[]][] = [
    ["create form", create, ["name", "description", "access", "permissions", "specials", "expiration", "customDate"]],
    ["edit form", edit, ["name", "description", "access", "permissions", "specials", "expiration", "customDate"]],
    ["POST /keys", schema(createKeyBody), ["name", "description", "scopes", "expiresAt"]],
    ["PATCH /keys/{id}", schema(patchKeyBody), ["name", "description", "scopes", "expiresAt"]],
    ["POST /keys/verify", schema(verifyKeyBody), ["key", "scopes"]],
    ["GET /keys", schema(listQuery), ["limit", "offset"]],
    ["PATCH /profile", schema(profilePatchBody), ["name"]],
    ["GET /usage", schema(usageQuery), ["days", "keyId"]],
    ["POST /keys/{id}/rotate", schema(rotateKeyBody), ["grace"]],
    ["POST /keys/revoke-leaked", schema(leakReportBody), ["keys"]],
    ["sign-up", schema(signUpSchema), ["name", "email", "password"]],
    ["sign-in", schema(signInSchema), ["email", "password"]],
    ["admin keys filters", schema(adminKeyFilters), ["q", "status", "owner", "scope", "usage", "sort", "dir", "page"]],
    ["audit filters", schema(auditFilters), ["action", "actor", "target", "from", "to", "page"]],
    ["user filters", schema(userFilters), ["q", "role", "page"]],
    ["admin revoke", schema(revokeKeysInput), ["ids", "reason"]],
    ["role change", schema(roleInput), ["userId", "role"]],
  ];

  it.each(parsers)("%s", (_name, parse, fields) => {
    const value = fc.oneof(anything, fc.string({ unit: "binary" }), fc.constantFrom(...HOSTILE_NUMBERS, ...HOSTILE_DAYS, ...HOSTILE_DATETIMES, ...HOSTILE_IDS));
    const shaped = fc.dictionary(fc.constantFrom(...fields, "__proto__", "constructor", "extra"), value, { maxKeys: fields.length + 1 });
    fc.assert(
      fc.property(fc.oneof(anything, shaped), (raw) => {
        run(parse, raw);
      }),
      { numRuns: 300 },
    );
  });
});
