// The authorization matrix: every entry point of the app (page, route handler method, server
// action) against every kind of caller, with the outcome each must get. It is the reviewable
// statement of who may do what. test/authz-inventory.test.ts fails when an entry point in the
// source has no row here (or a row names one that is gone); e2e/security/authz-matrix.spec.ts
// walks every cell against the production server and checks that a refused call changed nothing.
import { webhookReceiverHosts } from "../support/server-env";
import type { Scope } from "../../lib/scopes";

/**
 * Who calls. The four personas send their session cookie (anonymous: nothing). The key columns send
 * `Authorization: Bearer <key>` and no cookie:
 * - keyWithScope: on /api/v1, a key of the owner holding exactly the scope the row needs (any key when
 *   it needs none). Elsewhere (pages, actions, cookie routes), a full-access key of the persona the
 *   row lets in (the admin on admin rows, else the owner): a key must never stand in for a session.
 * - keyWithoutScope: a key of the owner holding every scope except the needed one (/api/v1 only).
 * - otherKey, adminKey: another member's / the admin's full-access key, aimed at the owner's things.
 * - shortLivedKey: a full-access key of the owner that expires before the row's target key (/api/v1
 *   only): it holds every scope, but may not hand out a credential that outlives it.
 */
export const COLUMNS = [
  "anonymous",
  "other",
  "owner",
  "admin",
  "keyWithScope",
  "keyWithoutScope",
  "otherKey",
  "adminKey",
  "shortLivedKey",
  "teamOwner",
  "teamAdmin",
  "teamDeveloper",
  "teamViewer",
] as const;
export type Column = (typeof COLUMNS)[number];

/**
 * The team columns: a session of a member of the row's team ({teamSlug}) with that role. On a team
 * row the other persona columns (other, owner, admin) are non-members: the owner of personal keys
 * and the instance admin included, a non-member learns nothing about a team (not_found). A row is a
 * team row when it names {teamSlug}; elsewhere the team columns are n/a.
 */
export const TEAM_COLUMNS = ["teamOwner", "teamAdmin", "teamDeveloper", "teamViewer"] as const satisfies readonly Column[];
export const isTeamRow = (row: Row) => JSON.stringify(row).includes("{teamSlug}");

/**
 * - ok: served. Page 200; route 2xx (or the row's redirect); action `{ ok: true }` (or its redirect).
 * - own: served, but only the caller's own data: nothing of the owner's (email, user id, key ids,
 *   key names) in the answer, and none of the owner's state changed.
 * - login: page redirects (307) to /login. home: page redirects (307) to /settings/api-keys.
 * - not_found: page or route 404; /api/v1 404 `not_found`; action `{ ok: false }` with the not-found
 *   message. The same answer as for an id that does not exist (no existence oracle).
 * - unauthorized: /api/v1 401 `unauthorized`; action `{ ok: false }` "Your session has ended".
 * - forbidden: /api/v1 403 `insufficient_scope`.
 * - outlives: /api/v1 403 `expiry_beyond_caller` (the call would hand out or empower a key that
 *   outlives the calling key).
 * - refused: action `{ ok: false }` with the action's own message and no redirect (a reset link that
 *   is not one): what the token decides, not the caller.
 * - n/a: the column does not apply to this kind of entry point.
 * Every outcome but ok leaves the owner's state as it was.
 */
export type Outcome = "ok" | "own" | "login" | "home" | "not_found" | "unauthorized" | "forbidden" | "outlives" | "refused" | "n/a";
export type Cells = Record<Column, Outcome>;

/**
 * The owner's state a row can change: "ok" cells must change it, every other cell must not.
 * ownerKey: a key of the owner, fresh for each cell. ownerKeys: the owner's list of keys.
 * ownerAccount: the owner's profile. bystanderRole: the role of a member nobody else touches.
 * bystanderSession: whether that member's dashboard session still opens a page.
 * bystanderStatus: whether that member's key still verifies (suspension answers user_suspended).
 * victim: a member made fresh for each cell (deletion cannot be undone): whether their key verifies.
 * invitation: an invitation made fresh for each cell by the run's admin: whether its link still works.
 * team: a team made fresh for each cell (its owner, an admin, a developer, a viewer and a bystander
 * developer): its name and its members with their roles, as its owner's members page shows them.
 * teamKeys: the row's team's keys, as a keys:read key of that team lists them through /api/v1/keys.
 * teamRequest: the status of the cell's key request ({teamRequestId} or {teamApprovedRequestId}), as the team owner's Requests page shows it.
 * {reviewId}: an access review the run's admin started over the owner's keys, after the cell's {keyId} was made.
 * {teamReviewId}: an access review of the row's team, started by its owner.
 * teamWebhook: the cell's endpoint of the row's team ({teamEndpointId}, made by its owner, with one delivery {teamDeliveryId}), as the team owner's page shows it.
 * ownerWebhook: the cell's webhook endpoint of the owner ({endpointId}, with one delivery {deliveryId}), as its page shows it.
 */
export type Target = "ownerKey" | "ownerKeys" | "ownerAccount" | "bystanderRole" | "bystanderSession" | "bystanderStatus" | "victim" | "invitation" | "team" | "teamKeys" | "teamRequest" | "ownerWebhook" | "teamWebhook";

/**
 * Placeholders in probes, filled per cell: {keyId} the owner's target key (created with the row's
 * scope, so a key holding that scope may manage it), {bystanderId}, {ownerEmail}, {uniq} a fresh
 * word, {email} a fresh address, {tomorrow} an ISO date one day ahead, {victimId} a member made
 * fresh for the cell, {invitationId} an invitation made fresh for the cell, {teamSlug} the row's team
 * (fresh for each cell of a row that changes it), {teamBystanderId} a developer of that team nobody
 * else touches, {teamKeyId} a key of that team made fresh for the cell by its owner, {teamRequestId} a pending
 * request of its developer made fresh for the cell ({teamApprovedRequestId}: one its owner approved), {otherEmail} the address of the "other" persona (an account that is in no team).
 */
export type PageRow = { kind: "page"; path: string; file: string; url: string; adminOnly?: boolean; cells: Cells };

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type RouteRow = {
  kind: "route";
  method: HttpMethod;
  path: string;
  file: string;
  url: string;
  body?: unknown;
  /** The scope /api/v1 checks; null for an endpoint any key (or no key) may call. */
  scope?: Scope | null;
  adminOnly?: boolean;
  /** Where an "ok" answer redirects (next-auth's form posts; placeholders filled). */
  redirectsTo?: string;
  /** Special steps before the call (next-auth's CSRF token). */
  needsCsrf?: boolean;
  mutates?: Target;
  cells: Cells;
};

/** An action argument: JSON, or `{ $form }` for the FormData a `useActionState` form sends. */
export type ActionArg = unknown;
export type ActionRow = {
  kind: "action";
  name: string;
  file: string;
  /** A page whose bundle registers the action (placeholders filled: a team's page names its team). */
  page: string;
  args: ActionArg[];
  redirectsTo?: string;
  adminOnly?: boolean;
  mutates?: Target;
  /** Signing out: each persona column uses a session of its own, not the one the other rows share. */
  endsSession?: boolean;
  /** State set up before each cell (and undone after it): the bystander suspended, for reinstating. */
  given?: "bystanderSuspended";
  cells: Cells;
};

export type Row = PageRow | RouteRow | ActionRow;

/** The inventory name of a row, as test/authz-inventory.test.ts derives it from the source. */
export function entryName(row: Row): string {
  if (row.kind === "page") return `page ${row.path}`;
  if (row.kind === "route") return `${row.method} ${row.path}`;
  return `action ${row.file}#${row.name}`;
}

// Cell shorthands, in COLUMNS order. Pages and actions take no key: the key columns past the first are n/a.
const cells = (...outcomes: Outcome[]): Cells => Object.fromEntries(COLUMNS.map((c, i) => [c, outcomes[i] ?? "n/a"])) as Cells;
/** A signed-in page: the owner's view of their own things. */
const signedInPage = (forOthers: Outcome) => cells("login", forOthers, "ok", forOthers, "login");
const adminPage = cells("login", "not_found", "not_found", "ok", "login");
const publicPage = (forSignedIn: Outcome, forKey: Outcome) => cells("ok", forSignedIn, forSignedIn, forSignedIn, forKey);
/** Cookie-free public endpoints: anyone, with or without a session or key. */
const publicRoute = cells("ok", "ok", "ok", "ok", "ok");
/**
 * /api/v1 with a key: sessions are no credential; the owner's key works with the scope only; others
 * see only theirs; the owner's short-lived full-access key works unless it would outlive itself.
 */
const apiRoute = (forOtherKeys: Outcome, forShortLived: Outcome = "ok") =>
  cells("unauthorized", "unauthorized", "unauthorized", "unauthorized", "ok", "forbidden", forOtherKeys, forOtherKeys, forShortLived);
const userAction = (forOthers: Outcome) => cells("unauthorized", forOthers, "ok", forOthers, "unauthorized");
const adminAction = cells("unauthorized", "not_found", "not_found", "ok", "unauthorized");
const publicAction = cells("ok", "ok", "ok", "ok");
/**
 * A team row: visitors sign in (pages) or are told their session ended (actions); a key is no
 * session; the three non-member personas get not found; each team role gets its outcome.
 */
const teamCells = (kind: "page" | "action", owner: Outcome, admin: Outcome, developer: Outcome, viewer: Outcome): Cells => ({
  ...(kind === "page" ? cells("login", "not_found", "not_found", "not_found", "login") : cells("unauthorized", "not_found", "not_found", "not_found", "unauthorized")),
  teamOwner: owner,
  teamAdmin: admin,
  teamDeveloper: developer,
  teamViewer: viewer,
});

const AUTH = "app/(auth)/actions.ts";
const KEYS = "app/(dashboard)/settings/api-keys/actions.ts";
const ADMIN = "app/(dashboard)/admin/actions.ts";
const PROFILE = "app/(dashboard)/settings/profile/actions.ts";
const DASHBOARD = "app/(dashboard)/actions.ts";
const NOTIFICATIONS = "app/(dashboard)/settings/notifications/actions.ts";
const WEBHOOKS = "app/(dashboard)/settings/webhooks/actions.ts";
const NEW_TEAM = "app/(dashboard)/t/new/actions.ts";
const TEAM_MEMBERS = "app/(dashboard)/t/[slug]/settings/members/actions.ts";
const TEAM_KEYS = "app/(dashboard)/t/[slug]/settings/api-keys/actions.ts";
/** A restricted key's form (Full access would need a step-up no matter whose key it is). */
const TEAM_POLICY = "app/(dashboard)/t/[slug]/settings/policy/actions.ts";
const TEAM_REQUESTS = "app/(dashboard)/t/[slug]/settings/requests/actions.ts";
const restrictedKeyForm = (name: string, expiration: string) => ({ $form: { name, description: "", access: "restricted", "permissions.keys": "read", expiration } });
// /api/v1 is one router (lib/api/app.ts) over the operations' bodies (lib/api/endpoints.ts).
const API = "lib/api/endpoints.ts";
const ROUTER = "lib/api/app.ts";
/** A passkey id nobody holds, and a registration answer of the right shape that no challenge issued. */
const NO_PASSKEY = "00000000-0000-4000-8000-000000000000";
const PASSKEY_ANSWER = { id: "bWF0cml4", rawId: "bWF0cml4", type: "public-key", response: { clientDataJSON: "e30", attestationObject: "oA" }, clientExtensionResults: {} };
const keyForm = (name: string) => ({ $form: { name, description: "", access: "full", expiration: "keep" } });

export const AUTHZ_MATRIX: Row[] = [
  // ---- Pages ---------------------------------------------------------------------------------
  { kind: "page", path: "/", file: "app/page.tsx", url: "/", cells: cells("login", "home", "home", "home", "login") },
  { kind: "page", path: "/login", file: "app/(auth)/login/page.tsx", url: "/login", cells: publicPage("home", "ok") },
  { kind: "page", path: "/signup", file: "app/(auth)/signup/page.tsx", url: "/signup", cells: publicPage("home", "ok") },
  { kind: "page", path: "/forgot-password", file: "app/(auth)/forgot-password/page.tsx", url: "/forgot-password", cells: publicPage("ok", "ok") },
  { kind: "page", path: "/confirm-email", file: "app/(auth)/confirm-email/page.tsx", url: "/confirm-email", cells: publicPage("ok", "ok") },
  { kind: "page", path: "/reset-password", file: "app/(auth)/reset-password/page.tsx", url: "/reset-password", cells: publicPage("ok", "ok") },
  // Finishing a sign-up from its mailed link: the page reads the token from the fragment; anyone may open it.
  { kind: "page", path: "/signup/confirm", file: "app/(auth)/signup/confirm/page.tsx", url: "/signup/confirm", cells: publicPage("ok", "ok") },
  // Accepting an invitation: the page reads the token from the fragment; anyone may open it.
  { kind: "page", path: "/invite", file: "app/(auth)/invite/page.tsx", url: "/invite", cells: publicPage("ok", "ok") },
  // The second step of a sign-in: without a live challenge in its httpOnly cookie it says only that the sign-in ended.
  { kind: "page", path: "/login/verify", file: "app/(auth)/login/verify/page.tsx", url: "/login/verify", cells: publicPage("home", "ok") },
  { kind: "page", path: "/docs/api", file: "app/docs/api/page.tsx", url: "/docs/api", cells: publicPage("ok", "ok") },
  { kind: "page", path: "/settings", file: "app/(dashboard)/settings/page.tsx", url: "/settings", cells: cells("login", "home", "home", "home", "login") },
  { kind: "page", path: "/settings/api-keys", file: "app/(dashboard)/settings/api-keys/(list)/page.tsx", url: "/settings/api-keys", cells: signedInPage("own") },
  // Someone else's key (the admin's too) is a 404, like a key that does not exist.
  { kind: "page", path: "/settings/api-keys/[id]", file: "app/(dashboard)/settings/api-keys/[id]/page.tsx", url: "/settings/api-keys/{keyId}", cells: signedInPage("not_found") },
  { kind: "page", path: "/settings/activity", file: "app/(dashboard)/settings/activity/page.tsx", url: "/settings/activity", cells: signedInPage("own") },
  { kind: "page", path: "/settings/notifications", file: "app/(dashboard)/settings/notifications/page.tsx", url: "/settings/notifications", cells: signedInPage("own") },
  { kind: "page", path: "/settings/profile", file: "app/(dashboard)/settings/profile/page.tsx", url: "/settings/profile", cells: signedInPage("own") },
  // Review your keys: each person's own list.
  { kind: "page", path: "/settings/reviews", file: "app/(dashboard)/settings/reviews/page.tsx", url: "/settings/reviews", cells: signedInPage("own") },
  // Settings -> Webhooks: each person's own endpoints; someone else's endpoint (the admin's too) is a 404.
  { kind: "page", path: "/settings/webhooks", file: "app/(dashboard)/settings/webhooks/page.tsx", url: "/settings/webhooks", cells: signedInPage("own") },
  { kind: "page", path: "/settings/webhooks/[id]", file: "app/(dashboard)/settings/webhooks/[id]/page.tsx", url: "/settings/webhooks/{endpointId}", cells: signedInPage("not_found") },
  // Admin pages: a visitor is sent to sign in (the dashboard layout); a member gets a plain 404.
  // Teams: anyone signed in creates one; a team's pages are its members' only (a 404 to anyone else).
  { kind: "page", path: "/t/new", file: "app/(dashboard)/t/new/page.tsx", url: "/t/new", cells: signedInPage("ok") },
  { kind: "page", path: "/t/[slug]/settings/members", file: "app/(dashboard)/t/[slug]/settings/members/page.tsx", url: "/t/{teamSlug}/settings/members", cells: teamCells("page", "ok", "ok", "ok", "ok") },
  // A team's keys: every member sees the list (a viewer without controls).
  { kind: "page", path: "/t/[slug]/settings/api-keys", file: "app/(dashboard)/t/[slug]/settings/api-keys/(list)/page.tsx", url: "/t/{teamSlug}/settings/api-keys", cells: teamCells("page", "ok", "ok", "ok", "ok") },
  // A team key's own page: every member reads it (a viewer without controls); {teamKeyId} is the team's. Outside the
  // list's (list) group, so no loading boundary streams a 200 before a missing key's 404.
  { kind: "page", path: "/t/[slug]/settings/api-keys/[id]", file: "app/(dashboard)/t/[slug]/settings/api-keys/[id]/page.tsx", url: "/t/{teamSlug}/settings/api-keys/{teamKeyId}", cells: teamCells("page", "ok", "ok", "ok", "ok") },
  // A team's webhooks: the list answers every member (a developer or viewer is told whom to ask); an endpoint's page is its
  // owners' and admins' ({teamEndpointId}, made by the team's owner), a 404 to anyone else.
  { kind: "page", path: "/t/[slug]/settings/webhooks", file: "app/(dashboard)/t/[slug]/settings/webhooks/page.tsx", url: "/t/{teamSlug}/settings/webhooks", cells: teamCells("page", "ok", "ok", "ok", "ok") },
  { kind: "page", path: "/t/[slug]/settings/webhooks/[id]", file: "app/(dashboard)/t/[slug]/settings/webhooks/[id]/page.tsx", url: "/t/{teamSlug}/settings/webhooks/{teamEndpointId}", cells: teamCells("page", "ok", "ok", "not_found", "not_found") },
  // A team's access reviews: the list answers every member (a developer or viewer is told whom to ask); a review
  // ({teamReviewId}, started by the team's owner) and its report are its owners' and admins', a 404 to anyone else.
  { kind: "page", path: "/t/[slug]/settings/reviews", file: "app/(dashboard)/t/[slug]/settings/reviews/page.tsx", url: "/t/{teamSlug}/settings/reviews", cells: teamCells("page", "ok", "ok", "ok", "ok") },
  { kind: "page", path: "/t/[slug]/settings/reviews/[id]", file: "app/(dashboard)/t/[slug]/settings/reviews/[id]/page.tsx", url: "/t/{teamSlug}/settings/reviews/{teamReviewId}", cells: teamCells("page", "ok", "ok", "not_found", "not_found") },
  {
    kind: "route",
    method: "GET",
    path: "/t/[slug]/settings/reviews/[id]/export",
    file: "app/(dashboard)/t/[slug]/settings/reviews/[id]/export/route.ts",
    url: "/t/{teamSlug}/settings/reviews/{teamReviewId}/export",
    cells: { ...cells("not_found", "not_found", "not_found", "not_found", "not_found"), teamOwner: "ok", teamAdmin: "ok", teamDeveloper: "not_found", teamViewer: "not_found" },
  },
  // A team's usage overview: every member.
  { kind: "page", path: "/t/[slug]/settings/usage", file: "app/(dashboard)/t/[slug]/settings/usage/page.tsx", url: "/t/{teamSlug}/settings/usage", cells: teamCells("page", "ok", "ok", "ok", "ok") },
  // A team's audit log: owners and admins read it; a developer or viewer gets a page that says only
  // whom to ask (no event: e2e/team-audit.spec.ts, lib/commands/team-insights.test.ts); a non-member, 404.
  { kind: "page", path: "/t/[slug]/settings/audit", file: "app/(dashboard)/t/[slug]/settings/audit/page.tsx", url: "/t/{teamSlug}/settings/audit", cells: teamCells("page", "ok", "ok", "ok", "ok") },
  // A team's key policy: every member reads it (developers and viewers read-only); its requests:
  // admins and owners see the team's, everyone else their own.
  { kind: "page", path: "/t/[slug]/settings/policy", file: "app/(dashboard)/t/[slug]/settings/policy/page.tsx", url: "/t/{teamSlug}/settings/policy", cells: teamCells("page", "ok", "ok", "ok", "ok") },
  { kind: "page", path: "/t/[slug]/settings/requests", file: "app/(dashboard)/t/[slug]/settings/requests/page.tsx", url: "/t/{teamSlug}/settings/requests", cells: teamCells("page", "ok", "ok", "ok", "ok") },
  { kind: "page", path: "/admin", file: "app/(dashboard)/admin/page.tsx", url: "/admin", adminOnly: true, cells: adminPage },
  { kind: "page", path: "/admin/keys", file: "app/(dashboard)/admin/keys/page.tsx", url: "/admin/keys", adminOnly: true, cells: adminPage },
  { kind: "page", path: "/admin/users", file: "app/(dashboard)/admin/users/page.tsx", url: "/admin/users", adminOnly: true, cells: adminPage },
  { kind: "page", path: "/admin/settings", file: "app/(dashboard)/admin/settings/page.tsx", url: "/admin/settings", adminOnly: true, cells: adminPage },
  { kind: "page", path: "/admin/audit", file: "app/(dashboard)/admin/audit/page.tsx", url: "/admin/audit", adminOnly: true, cells: adminPage },
  { kind: "page", path: "/admin/jobs", file: "app/(dashboard)/admin/jobs/page.tsx", url: "/admin/jobs", adminOnly: true, cells: adminPage },
  // Access reviews: the list and a review ({reviewId}, started by the run's admin over the owner's keys) are the admins'.
  { kind: "page", path: "/admin/reviews", file: "app/(dashboard)/admin/reviews/page.tsx", url: "/admin/reviews", adminOnly: true, cells: adminPage },
  { kind: "page", path: "/admin/reviews/[id]", file: "app/(dashboard)/admin/reviews/[id]/page.tsx", url: "/admin/reviews/{reviewId}", adminOnly: true, cells: adminPage },

  // ---- Cookie routes ---------------------------------------------------------------------------
  // Admin exports: 404 to everyone else, visitors included (checked before anything else).
  { kind: "route", method: "GET", path: "/admin/reviews/[id]/export", file: "app/(dashboard)/admin/reviews/[id]/export/route.ts", url: "/admin/reviews/{reviewId}/export", adminOnly: true, cells: cells("not_found", "not_found", "not_found", "ok", "not_found") },
  { kind: "route", method: "GET", path: "/admin/audit/export", file: "app/(dashboard)/admin/audit/export/route.ts", url: "/admin/audit/export", adminOnly: true, cells: cells("not_found", "not_found", "not_found", "ok", "not_found") },
  { kind: "route", method: "GET", path: "/admin/keys/export", file: "app/(dashboard)/admin/keys/export/route.ts", url: "/admin/keys/export", adminOnly: true, cells: cells("not_found", "not_found", "not_found", "ok", "not_found") },
  // next-auth: the session endpoint shows each caller only their own session (a key: none).
  { kind: "route", method: "GET", path: "/api/auth/[...nextauth]", file: "app/api/auth/[...nextauth]/route.ts", url: "/api/auth/session", cells: cells("own", "own", "ok", "own", "own") },
  // Signing in is open to anyone holding the password, whoever they are signed in as.
  { kind: "route", method: "POST", path: "/api/auth/[...nextauth]", file: "app/api/auth/[...nextauth]/route.ts", url: "/api/auth/callback/credentials", body: { email: "{ownerEmail}", password: "{ownerPassword}" }, needsCsrf: true, redirectsTo: "/settings/api-keys", cells: cells("ok", "ok", "ok", "ok") },

  // ---- Public probes and documents ---------------------------------------------------------------
  { kind: "route", method: "GET", path: "/api/health", file: "app/api/health/route.ts", url: "/api/health", scope: null, cells: publicRoute },
  { kind: "route", method: "GET", path: "/api/ready", file: "app/api/ready/route.ts", url: "/api/ready", scope: null, cells: publicRoute },
  // The benchmark's static baseline: a 404 for everyone unless the server runs with KEYSMITH_BENCH=1.
  { kind: "route", method: "GET", path: "/api/bench/static", file: "app/api/bench/static/route.ts", url: "/api/bench/static", scope: null, cells: cells("not_found", "not_found", "not_found", "not_found", "not_found") },
  { kind: "route", method: "GET", path: "/api/v1/openapi.json", file: ROUTER, url: "/api/v1/openapi.json", scope: null, cells: publicRoute },
  // Secret scanners report leaks without a key; the answer is the same 202 for everyone.
  { kind: "route", method: "POST", path: "/api/v1/keys/revoke-leaked", file: API, url: "/api/v1/keys/revoke-leaked", body: { keys: ["not-a-key"] }, scope: null, cells: publicRoute },
  // Unknown /api/v1 paths: a JSON 404 whoever asks (no 401 that would tell a real endpoint apart).
  ...(["GET", "POST", "PUT", "PATCH", "DELETE"] as const).map(
    (method): RouteRow => ({ kind: "route", method, path: "/api/v1/[...path]", file: ROUTER, url: "/api/v1/no-such-endpoint", scope: null, cells: cells("not_found", "not_found", "not_found", "not_found", "not_found") }),
  ),

  // ---- /api/v1 with a key ----------------------------------------------------------------------
  { kind: "route", method: "GET", path: "/api/v1/me", file: API, url: "/api/v1/me", scope: null, cells: { ...apiRoute("own"), keyWithoutScope: "n/a" } },
  { kind: "route", method: "GET", path: "/api/v1/keys", file: API, url: "/api/v1/keys", scope: "keys:read", cells: apiRoute("own") },
  { kind: "route", method: "POST", path: "/api/v1/keys", file: API, url: "/api/v1/keys", body: { name: "matrix {uniq}", scopes: ["keys:read"], expiresAt: "{tomorrow}" }, scope: "keys:write", mutates: "ownerKeys", cells: apiRoute("own") },
  { kind: "route", method: "GET", path: "/api/v1/keys/[id]", file: API, url: "/api/v1/keys/{keyId}", scope: "keys:read", cells: apiRoute("not_found") },
  { kind: "route", method: "PATCH", path: "/api/v1/keys/[id]", file: API, url: "/api/v1/keys/{keyId}", body: { name: "renamed {uniq}" }, scope: "keys:write", mutates: "ownerKey", cells: apiRoute("not_found") },
  { kind: "route", method: "DELETE", path: "/api/v1/keys/[id]", file: API, url: "/api/v1/keys/{keyId}", scope: "keys:write", mutates: "ownerKey", cells: apiRoute("not_found") },
  // Rotating hands out the target's new secret: a key that expires first may not rotate it.
  { kind: "route", method: "POST", path: "/api/v1/keys/[id]/rotate", file: API, url: "/api/v1/keys/{keyId}/rotate", body: { grace: "none" }, scope: "keys:rotate", mutates: "ownerKey", cells: apiRoute("not_found", "outlives") },
  // Verification serves other services: any keys:verify key may check any presented key.
  { kind: "route", method: "POST", path: "/api/v1/keys/verify", file: API, url: "/api/v1/keys/verify", body: { key: "not-a-key" }, scope: "keys:verify", cells: apiRoute("ok") },
  { kind: "route", method: "GET", path: "/api/v1/profile", file: API, url: "/api/v1/profile", scope: "profile:read", cells: apiRoute("own") },
  { kind: "route", method: "PATCH", path: "/api/v1/profile", file: API, url: "/api/v1/profile", body: { name: "Renamed {uniq}" }, scope: "profile:write", mutates: "ownerAccount", cells: apiRoute("own") },
  // Asking for the owner's key by id gives another caller only their own (empty) usage.
  { kind: "route", method: "GET", path: "/api/v1/usage", file: API, url: "/api/v1/usage?keyId={keyId}", scope: "usage:read", cells: apiRoute("own") },

  // ---- Server actions (public endpoints: each checks the session itself) -------------------------
  { kind: "action", name: "signUpAction", file: AUTH, page: "/signup", args: [{ ok: false }, { $form: { name: "Matrix {uniq}", email: "{email}", password: "{ownerPassword}" } }], redirectsTo: "/settings/api-keys", cells: publicAction },
  { kind: "action", name: "signInAction", file: AUTH, page: "/login", args: [{ ok: false }, { $form: { email: "{ownerEmail}", password: "{ownerPassword}" } }], redirectsTo: "/settings/api-keys", cells: publicAction },
  // Anyone may ask for a reset link: the answer is the same for every address (the mail goes, or not, after it).
  { kind: "action", name: "requestPasswordResetAction", file: AUTH, page: "/forgot-password", args: [{ ok: false }, { $form: { email: "{ownerEmail}" } }], cells: publicAction },
  // Anyone may present a token; only a real one sets a password (lib/commands/recovery.test.ts).
  { kind: "action", name: "resetPasswordAction", file: AUTH, page: "/reset-password", args: [{ ok: false }, { $form: { token: "ksr_{uniq}", password: "a new passphrase for the matrix" } }], mutates: "ownerAccount", cells: cells("refused", "refused", "refused", "refused") },
  { kind: "action", name: "confirmEmailChangeAction", file: AUTH, page: "/confirm-email", args: [{ ok: false }, { $form: { token: "kse_{uniq}" } }], mutates: "ownerAccount", cells: cells("refused", "refused", "refused", "refused") },
  // Anyone may present a sign-up link's token; only a real one with the password chosen creates an account (lib/commands/sign-up.test.ts).
  { kind: "action", name: "confirmSignUpAction", file: AUTH, page: "/signup/confirm", args: [{ ok: false }, { $form: { token: "kss_{uniq}", password: "a new passphrase for the matrix" } }], cells: cells("refused", "refused", "refused", "refused") },
  // Anyone may present an invitation's token; only a usable one is described or accepted (lib/commands/invitations.test.ts).
  { kind: "action", name: "invitationDetailsAction", file: AUTH, page: "/invite", args: ["ksi_{uniq}"], cells: cells("refused", "refused", "refused", "refused") },
  { kind: "action", name: "acceptInvitationAction", file: AUTH, page: "/invite", args: [{ ok: false }, { $form: { token: "ksi_{uniq}", name: "Matrix {uniq}", password: "a new passphrase for the matrix" } }], cells: cells("refused", "refused", "refused", "refused") },
  // Passkey sign-in: anyone may ask for a challenge and present an answer. The shared server has no
  // APP_URL, so passkeys are off there and both are refused for everyone; a deployment with APP_URL
  // walks them with Chromium's authenticator (e2e/passkeys.spec.ts), the checks in lib/commands/passkeys.test.ts.
  { kind: "action", name: "beginPasskeySignInAction", file: AUTH, page: "/login", args: [], cells: cells("refused", "refused", "refused", "refused") },
  { kind: "action", name: "passkeySignInAction", file: AUTH, page: "/login", args: ["{\"id\":\"{uniq}\"}"], cells: cells("refused", "refused", "refused", "refused") },
  // Starting single sign-on: the shared server has no OIDC provider, so every caller is told to use a password (e2e/sso.spec.ts walks the flow).
  { kind: "action", name: "ssoSignInAction", file: AUTH, page: "/login", args: [{ ok: false }, { $form: {} }], cells: cells("refused", "refused", "refused", "refused") },
  // A code without a challenge cookie (no caller here has one) finishes nothing and makes no session
  // (the challenge itself: lib/commands/second-factor.test.ts, e2e/second-factor.spec.ts).
  { kind: "action", name: "verifySecondFactorAction", file: AUTH, page: "/login/verify", args: [{ ok: false }, { $form: { code: "123456" } }], cells: cells("refused", "refused", "refused", "refused") },
  // "Use your passkey" on the verify page: without a sign-in challenge cookie (and, on the shared server,
  // without APP_URL) no passkey challenge is issued and no answer finishes anything (the flow itself:
  // e2e/passkey-second-factor.spec.ts, lib/commands/passkey-second-factor.test.ts).
  { kind: "action", name: "beginSecondFactorPasskeyAction", file: AUTH, page: "/login/verify", args: [], cells: cells("refused", "refused", "refused", "refused") },
  { kind: "action", name: "verifySecondFactorPasskeyAction", file: AUTH, page: "/login/verify", args: ["{\"id\":\"{uniq}\"}"], cells: cells("refused", "refused", "refused", "refused") },
  { kind: "action", name: "signOutAction", file: AUTH, page: "/settings/api-keys", args: [], redirectsTo: "/login", endsSession: true, cells: publicAction },
  { kind: "action", name: "createApiKeyAction", file: KEYS, page: "/settings/api-keys", args: [{ ok: false }, { $form: { name: "matrix {uniq}", description: "", access: "full", expiration: "30" } }], mutates: "ownerKeys", cells: userAction("own") },
  { kind: "action", name: "updateApiKeyAction", file: KEYS, page: "/settings/api-keys", args: ["{keyId}", { ok: false }, keyForm("renamed {uniq}")], mutates: "ownerKey", cells: userAction("not_found") },
  { kind: "action", name: "rotateApiKeyAction", file: KEYS, page: "/settings/api-keys", args: ["{keyId}", "none"], mutates: "ownerKey", cells: userAction("not_found") },
  { kind: "action", name: "revokeApiKeyAction", file: KEYS, page: "/settings/api-keys", args: ["{keyId}"], mutates: "ownerKey", cells: userAction("not_found") },
  { kind: "action", name: "deleteApiKeyAction", file: KEYS, page: "/settings/api-keys", args: ["{keyId}"], mutates: "ownerKey", cells: userAction("not_found") },
  // Settings -> Notifications: each signed-in caller marks and chooses only their own.
  { kind: "action", name: "markNotificationsReadAction", file: NOTIFICATIONS, page: "/settings/notifications", args: [{ ids: "all" }], cells: userAction("own") },
  { kind: "action", name: "saveNotificationSettingsAction", file: NOTIFICATIONS, page: "/settings/notifications", args: [{ ok: false }, { $form: { mail: "key.expiring_7d" } }], cells: userAction("own") },
  // Settings -> Webhooks: anyone signed in adds their own endpoint; only the owner changes, tests or deletes
  // theirs ({endpointId}, fresh for each cell). Its one delivery is still being tried (the receiver does not
  // answer), so even the owner's "send again" is refused: the row checks that nobody else reaches it.
  { kind: "action", name: "createWebhookAction", file: WEBHOOKS, page: "/settings/webhooks", args: [{ ok: false }, { $form: { url: `http://${webhookReceiverHosts()[1]}/matrix-own`, description: "", events: "key.created" } }], cells: userAction("own") },
  { kind: "action", name: "updateWebhookAction", file: WEBHOOKS, page: "/settings/webhooks", args: ["{endpointId}", { ok: false }, { $form: { url: `http://${webhookReceiverHosts()[1]}/matrix`, description: "renamed {uniq}", events: "key.revoked" } }], mutates: "ownerWebhook", cells: userAction("not_found") },
  { kind: "action", name: "setWebhookEnabledAction", file: WEBHOOKS, page: "/settings/webhooks", args: ["{endpointId}", false], mutates: "ownerWebhook", cells: userAction("not_found") },
  { kind: "action", name: "rotateWebhookSecretAction", file: WEBHOOKS, page: "/settings/webhooks", args: ["{endpointId}"], cells: userAction("not_found") },
  { kind: "action", name: "sendTestEventAction", file: WEBHOOKS, page: "/settings/webhooks", args: ["{endpointId}"], mutates: "ownerWebhook", cells: userAction("not_found") },
  { kind: "action", name: "redeliverAction", file: WEBHOOKS, page: "/settings/webhooks", args: ["{deliveryId}"], mutates: "ownerWebhook", cells: cells("unauthorized", "not_found", "refused", "not_found", "unauthorized") },
  { kind: "action", name: "deleteWebhookAction", file: WEBHOOKS, page: "/settings/webhooks", args: ["{endpointId}"], mutates: "ownerWebhook", cells: userAction("not_found") },
  // Access reviews: only an admin starts one (over the owner's keys: everyone else is not found, nothing started);
  // only the key's owner answers for it ({keyId} fresh for each cell, in a review {reviewId} started after it):
  // revoking it changes the key, anyone else is not found and changes nothing.
  { kind: "action", name: "startAccessReviewAction", file: "app/(dashboard)/admin/reviews/actions.ts", page: "/admin/reviews", args: [{ ok: false }, { $form: { name: "Matrix review {uniq}", dueDate: "{inAWeek}", onDue: "flag", owner: "{ownerEmail}" } }], cells: adminAction },
  { kind: "action", name: "answerReviewItemAction", file: "app/(dashboard)/settings/reviews/actions.ts", page: "/settings/reviews", args: [{ reviewId: "{reviewId}", keyId: "{keyId}", decision: "revoked" }], mutates: "ownerKey", cells: userAction("not_found") },
  // A team's access review: its owners and admins start one over the team's keys; a developer or viewer is refused; anyone else: not found.
  { kind: "action", name: "startTeamAccessReviewAction", file: "app/(dashboard)/t/[slug]/settings/reviews/actions.ts", page: "/t/{teamSlug}/settings/reviews", args: ["{teamSlug}", { ok: false }, { $form: { name: "Matrix team review {uniq}", dueDate: "{inAWeek}", onDue: "flag" } }], cells: teamCells("action", "ok", "ok", "refused", "refused") },
  // A team's webhooks: owners and admins change them; a developer or viewer is refused with whom to ask; anyone else: team not found.
  { kind: "action", name: "createTeamWebhookAction", file: "app/(dashboard)/t/[slug]/settings/webhooks/actions.ts", page: "/t/{teamSlug}/settings/webhooks", args: ["{teamSlug}", { ok: false }, { $form: { url: `http://${webhookReceiverHosts()[1]}/matrix-team`, description: "", events: "key.created" } }], cells: teamCells("action", "ok", "ok", "refused", "refused") },
  { kind: "action", name: "updateTeamWebhookAction", file: "app/(dashboard)/t/[slug]/settings/webhooks/actions.ts", page: "/t/{teamSlug}/settings/webhooks", args: ["{teamSlug}", "{teamEndpointId}", { ok: false }, { $form: { url: `http://${webhookReceiverHosts()[1]}/matrix`, description: "renamed {uniq}", events: "key.revoked" } }], mutates: "teamWebhook", cells: teamCells("action", "ok", "ok", "refused", "refused") },
  { kind: "action", name: "setTeamWebhookEnabledAction", file: "app/(dashboard)/t/[slug]/settings/webhooks/actions.ts", page: "/t/{teamSlug}/settings/webhooks", args: ["{teamSlug}", "{teamEndpointId}", false], mutates: "teamWebhook", cells: teamCells("action", "ok", "ok", "refused", "refused") },
  { kind: "action", name: "rotateTeamWebhookSecretAction", file: "app/(dashboard)/t/[slug]/settings/webhooks/actions.ts", page: "/t/{teamSlug}/settings/webhooks", args: ["{teamSlug}", "{teamEndpointId}"], cells: teamCells("action", "ok", "ok", "refused", "refused") },
  { kind: "action", name: "sendTeamTestEventAction", file: "app/(dashboard)/t/[slug]/settings/webhooks/actions.ts", page: "/t/{teamSlug}/settings/webhooks", args: ["{teamSlug}", "{teamEndpointId}"], mutates: "teamWebhook", cells: teamCells("action", "ok", "ok", "refused", "refused") },
  { kind: "action", name: "redeliverTeamWebhookAction", file: "app/(dashboard)/t/[slug]/settings/webhooks/actions.ts", page: "/t/{teamSlug}/settings/webhooks", args: ["{teamSlug}", "{teamDeliveryId}"], mutates: "teamWebhook", cells: teamCells("action", "refused", "refused", "refused", "refused") },
  { kind: "action", name: "deleteTeamWebhookAction", file: "app/(dashboard)/t/[slug]/settings/webhooks/actions.ts", page: "/t/{teamSlug}/settings/webhooks", args: ["{teamSlug}", "{teamEndpointId}"], mutates: "teamWebhook", cells: teamCells("action", "ok", "ok", "refused", "refused") },
  // The Profile page: each signed-in caller changes only their own name and password. The password
  // row keeps the same password (the walker signs in with it) but still ends every session.
  { kind: "action", name: "updateProfileAction", file: PROFILE, page: "/settings/profile", args: [{ ok: false }, { $form: { name: "Renamed {uniq}" } }], mutates: "ownerAccount", cells: userAction("own") },
  // The default e2e server sends no mail, so every signed-in caller's request is refused (mail_unavailable) before
  // anything is written; the change itself is walked in e2e/account-recovery.spec.ts on a server that mails.
  { kind: "action", name: "requestEmailChangeAction", file: PROFILE, page: "/settings/profile", args: [{ ok: false }, { $form: { newEmail: "{email}", currentPassword: "{ownerPassword}" } }], mutates: "ownerAccount", cells: cells("unauthorized", "refused", "refused", "refused", "unauthorized") },
  { kind: "action", name: "changePasswordAction", file: PROFILE, page: "/settings/profile", args: [{ ok: false }, { $form: { currentPassword: "{ownerPassword}", newPassword: "{ownerPassword}", confirmPassword: "{ownerPassword}" } }], redirectsTo: "/settings/profile", endsSession: true, cells: userAction("own") },
  // Confirming who you are (step-up): every persona signs in with the same password, so each confirms
  // its own session; nothing of the owner's changes.
  { kind: "action", name: "confirmIdentityAction", file: DASHBOARD, page: "/settings/api-keys", args: [{ ok: false }, { $form: { password: "{ownerPassword}" } }], cells: userAction("own") },
  { kind: "action", name: "stepUpOptionsAction", file: DASHBOARD, page: "/settings/api-keys", args: [], cells: userAction("own") },
  // Confirming with a passkey: the shared server has passkeys off (no APP_URL), so starting is refused for
  // every signed-in caller before anything is written (the flow itself: e2e/step-up.spec.ts).
  { kind: "action", name: "beginStepUpPasskeyAction", file: DASHBOARD, page: "/settings/api-keys", args: [], cells: cells("unauthorized", "refused", "refused", "refused", "unauthorized") },
  // Confirming at the single sign-on provider: the shared server has none, so it is refused for every
  // signed-in caller (the flow itself: e2e/sso.spec.ts).
  { kind: "action", name: "confirmIdentityWithSsoAction", file: DASHBOARD, page: "/settings/api-keys", args: ["/settings/api-keys"], cells: cells("unauthorized", "refused", "refused", "refused", "unauthorized") },
  // Passkeys in Profile: a session only (a key never). On the shared server passkeys are off (no
  // APP_URL), so adding is refused for every signed-in caller before anything is written; renaming or
  // removing a passkey that is not the caller's answers "not found". The owner's own add, rename and
  // remove are walked in e2e/passkeys.spec.ts on a deployment with APP_URL.
  { kind: "action", name: "beginPasskeyRegistrationAction", file: PROFILE, page: "/settings/profile", args: [{ currentPassword: "{ownerPassword}" }], mutates: "ownerAccount", cells: cells("unauthorized", "refused", "refused", "refused", "unauthorized") },
  { kind: "action", name: "finishPasskeyRegistrationAction", file: PROFILE, page: "/settings/profile", args: [{ name: "Matrix {uniq}", currentPassword: "{ownerPassword}", response: PASSKEY_ANSWER }], mutates: "ownerAccount", cells: cells("unauthorized", "refused", "refused", "refused", "unauthorized") },
  { kind: "action", name: "renamePasskeyAction", file: PROFILE, page: "/settings/profile", args: [NO_PASSKEY, { ok: false }, { $form: { name: "Renamed {uniq}" } }], cells: cells("unauthorized", "not_found", "not_found", "not_found", "unauthorized") },
  { kind: "action", name: "removePasskeyAction", file: PROFILE, page: "/settings/profile", args: [{ passkeyId: NO_PASSKEY, currentPassword: "{ownerPassword}" }], mutates: "ownerAccount", cells: cells("unauthorized", "not_found", "not_found", "not_found", "unauthorized") },
  // Second factor on the Profile page: each signed-in caller starts a set-up of their own (a pending
  // seed, shown in that one answer); confirming, new recovery codes and turning off need the
  // current password and a current code, so the matrix's wrong code is refused for everyone, and
  // the personas (who have no factor) stay without one. The real flows: e2e/second-factor.spec.ts.
  { kind: "action", name: "startTotpSetupAction", file: PROFILE, page: "/settings/profile", args: [], cells: userAction("own") },
  { kind: "action", name: "confirmTotpSetupAction", file: PROFILE, page: "/settings/profile", args: [{ ok: false }, { $form: { code: "000000", currentPassword: "{ownerPassword}" } }], mutates: "ownerAccount", cells: cells("unauthorized", "refused", "refused", "refused", "unauthorized") },
  { kind: "action", name: "regenerateRecoveryCodesAction", file: PROFILE, page: "/settings/profile", args: [{ ok: false }, { $form: { code: "000000", currentPassword: "{ownerPassword}" } }], cells: cells("unauthorized", "refused", "refused", "refused", "unauthorized") },
  { kind: "action", name: "disableTotpAction", file: PROFILE, page: "/settings/profile", args: [{ ok: false }, { $form: { code: "000000", currentPassword: "{ownerPassword}" } }], mutates: "ownerAccount", cells: cells("unauthorized", "refused", "refused", "refused", "unauthorized") },
  // Teams (lib/commands/teams.ts, each check in the transaction). Each cell of a row that changes the
  // team gets a fresh one. Creating: each signed-in caller makes a team of their own.
  { kind: "action", name: "createTeamAction", file: NEW_TEAM, page: "/t/new", args: [{ ok: false }, { $form: { name: "Matrix {uniq}", slug: "mx-{uniq}" } }], redirectsTo: "/t/mx-{uniq}/settings/members", cells: userAction("ok") },
  // Admins and owners manage members (an admin never an owner: lib/commands/teams.test.ts); developers and viewers are refused.
  { kind: "action", name: "addMemberAction", file: TEAM_MEMBERS, page: "/t/{teamSlug}/settings/members", args: ["{teamSlug}", { ok: false }, { $form: { email: "{otherEmail}", role: "viewer" } }], mutates: "team", cells: teamCells("action", "ok", "ok", "refused", "refused") },
  { kind: "action", name: "changeMemberRoleAction", file: TEAM_MEMBERS, page: "/t/{teamSlug}/settings/members", args: ["{teamSlug}", { userId: "{teamBystanderId}", role: "viewer" }], mutates: "team", cells: teamCells("action", "ok", "ok", "refused", "refused") },
  { kind: "action", name: "removeMemberAction", file: TEAM_MEMBERS, page: "/t/{teamSlug}/settings/members", args: ["{teamSlug}", { userId: "{teamBystanderId}" }], mutates: "team", cells: teamCells("action", "ok", "ok", "refused", "refused") },
  { kind: "action", name: "renameTeamAction", file: TEAM_MEMBERS, page: "/t/{teamSlug}/settings/members", args: ["{teamSlug}", { ok: false }, { $form: { name: "Renamed {uniq}" } }], mutates: "team", cells: teamCells("action", "ok", "ok", "refused", "refused") },
  // Owners only: handing over ownership, deleting (typing the slug).
  { kind: "action", name: "transferOwnershipAction", file: TEAM_MEMBERS, page: "/t/{teamSlug}/settings/members", args: ["{teamSlug}", { userId: "{teamBystanderId}", stepDown: false }], mutates: "team", cells: teamCells("action", "ok", "refused", "refused", "refused") },
  { kind: "action", name: "deleteTeamAction", file: TEAM_MEMBERS, page: "/t/{teamSlug}/settings/members", args: ["{teamSlug}", { ok: false }, { $form: { confirmSlug: "{teamSlug}" } }], redirectsTo: "/settings/api-keys", mutates: "team", cells: teamCells("action", "ok", "refused", "refused", "refused") },
  // A team's keys (lib/commands/keys.ts: the role re-read locked in each change): developers and up
  // change them, a viewer is refused (team_keys_read_only), a non-member is told the team is not found.
  // {teamKeyId}: a key of the team made fresh for each cell by its owner.
  { kind: "action", name: "createTeamApiKeyAction", file: TEAM_KEYS, page: "/t/{teamSlug}/settings/api-keys", args: ["{teamSlug}", { ok: false }, restrictedKeyForm("matrix {uniq}", "30")], mutates: "teamKeys", cells: teamCells("action", "ok", "ok", "ok", "refused") },
  { kind: "action", name: "updateTeamApiKeyAction", file: TEAM_KEYS, page: "/t/{teamSlug}/settings/api-keys", args: ["{teamSlug}", "{teamKeyId}", { ok: false }, restrictedKeyForm("renamed {uniq}", "keep")], mutates: "teamKeys", cells: teamCells("action", "ok", "ok", "ok", "refused") },
  { kind: "action", name: "rotateTeamApiKeyAction", file: TEAM_KEYS, page: "/t/{teamSlug}/settings/api-keys", args: ["{teamSlug}", "{teamKeyId}", "none"], mutates: "teamKeys", cells: teamCells("action", "ok", "ok", "ok", "refused") },
  { kind: "action", name: "revokeTeamApiKeyAction", file: TEAM_KEYS, page: "/t/{teamSlug}/settings/api-keys", args: ["{teamSlug}", "{teamKeyId}"], mutates: "teamKeys", cells: teamCells("action", "ok", "ok", "ok", "refused") },
  { kind: "action", name: "deleteTeamApiKeyAction", file: TEAM_KEYS, page: "/t/{teamSlug}/settings/api-keys", args: ["{teamSlug}", "{teamKeyId}"], mutates: "teamKeys", cells: teamCells("action", "ok", "ok", "ok", "refused") },
  // A team's key policy and requests (lib/commands/team-policy.ts, lib/commands/key-requests.ts).
  // The walker puts the run's team's Full-access keys behind approval first (the form below sets the
  // same), so a developer's Full key is requested; {teamRequestId} is a developer's pending request
  // made fresh for each cell, {teamApprovedRequestId} one the owner approved. Owners and admins set
  // the policy and decide others' requests; only the requester cancels or creates the key (the
  // others: not found); owners and admins need no request (approval_not_needed); viewers nothing.
  { kind: "action", name: "changeTeamPolicyAction", file: TEAM_POLICY, page: "/t/{teamSlug}/settings/policy", args: ["{teamSlug}", { ok: false }, { $form: { lifetime: "deployment", developerScopesMode: "all", approvalFrom: "full" } }], cells: teamCells("action", "ok", "ok", "refused", "refused") },
  { kind: "action", name: "requestTeamKeyAction", file: TEAM_REQUESTS, page: "/t/{teamSlug}/settings/api-keys", args: ["{teamSlug}", { ok: false }, { $form: { name: "matrix request {uniq}", description: "", access: "full", expiration: "30", justification: "matrix" } }], cells: teamCells("action", "refused", "refused", "ok", "refused") },
  { kind: "action", name: "approveKeyRequestAction", file: TEAM_REQUESTS, page: "/t/{teamSlug}/settings/requests", args: ["{teamSlug}", { ok: false }, { $form: { requestId: "{teamRequestId}" } }], mutates: "teamRequest", cells: teamCells("action", "ok", "ok", "refused", "refused") },
  { kind: "action", name: "denyKeyRequestAction", file: TEAM_REQUESTS, page: "/t/{teamSlug}/settings/requests", args: ["{teamSlug}", { ok: false }, { $form: { requestId: "{teamRequestId}", reason: "The matrix says no" } }], mutates: "teamRequest", cells: teamCells("action", "ok", "ok", "refused", "refused") },
  { kind: "action", name: "cancelKeyRequestAction", file: TEAM_REQUESTS, page: "/t/{teamSlug}/settings/requests", args: ["{teamSlug}", "{teamRequestId}"], mutates: "teamRequest", cells: teamCells("action", "refused", "refused", "ok", "refused") },
  { kind: "action", name: "issueRequestedKeyAction", file: TEAM_REQUESTS, page: "/t/{teamSlug}/settings/requests", args: ["{teamSlug}", "{teamApprovedRequestId}"], mutates: "teamRequest", cells: teamCells("action", "refused", "refused", "ok", "refused") },
  // Any member leaves, but the team's only owner (last_team_owner).
  { kind: "action", name: "leaveTeamAction", file: TEAM_MEMBERS, page: "/t/{teamSlug}/settings/members", args: ["{teamSlug}"], redirectsTo: "/settings/api-keys", mutates: "team", cells: teamCells("action", "refused", "ok", "ok", "ok") },
  // Admin actions: a member (owner or not) gets "Not found.", as for an action that does not exist.
  { kind: "action", name: "adminRevokeKeysAction", file: ADMIN, page: "/admin/keys", args: [{ ids: ["{keyId}"], reason: "authz matrix" }], adminOnly: true, mutates: "ownerKey", cells: adminAction },
  // "Revoke all matching": the filters name the fresh target key alone, and the admin confirms 1.
  { kind: "action", name: "adminRevokeMatchingAction", file: ADMIN, page: "/admin/keys", args: [{ filters: { owner: "{ownerEmail}", q: "{keyName}" }, reason: "authz matrix", expected: 1 }], adminOnly: true, mutates: "ownerKey", cells: adminAction },
  { kind: "action", name: "setUserRoleAction", file: ADMIN, page: "/admin/users", args: [{ userId: "{bystanderId}", role: "admin" }], adminOnly: true, mutates: "bystanderRole", cells: adminAction },
  { kind: "action", name: "createResetLinkAction", file: ADMIN, page: "/admin/users", args: [{ userId: "{bystanderId}" }], adminOnly: true, cells: adminAction },
  { kind: "action", name: "endUserSessionsAction", file: ADMIN, page: "/admin/users", args: [{ userId: "{bystanderId}" }], adminOnly: true, mutates: "bystanderSession", cells: adminAction },
  { kind: "action", name: "suspendUserAction", file: ADMIN, page: "/admin/users", args: [{ userId: "{bystanderId}" }], adminOnly: true, mutates: "bystanderStatus", cells: adminAction },
  { kind: "action", name: "reinstateUserAction", file: ADMIN, page: "/admin/users", args: [{ userId: "{bystanderId}" }], adminOnly: true, given: "bystanderSuspended", mutates: "bystanderStatus", cells: adminAction },
  // Invitations: the admin's call makes a fresh invitation (the shared server does not mail: the
  // link is in that one answer); revoking aims at an invitation made for the cell, whose link the
  // walker checks still works after every refused call and no longer works after the allowed one.
  { kind: "action", name: "createInvitationAction", file: ADMIN, page: "/admin/users", args: [{ ok: false }, { $form: { email: "{email}", role: "member" } }], adminOnly: true, cells: adminAction },
  { kind: "action", name: "revokeInvitationAction", file: ADMIN, page: "/admin/users", args: [{ invitationId: "{invitationId}" }], adminOnly: true, mutates: "invitation", cells: adminAction },
  // Setting the mode the shared server already has ("open"): allowed, audited, nothing else changes.
  { kind: "action", name: "updateSignUpSettingsAction", file: ADMIN, page: "/admin/settings", args: [{ ok: false }, { $form: { mode: "open", domains: "" } }], adminOnly: true, cells: adminAction },
  // Leaving single sign-on off (the shared server has no OIDC, so turning it on is refused for everyone): allowed, audited.
  { kind: "action", name: "updateSsoOnlyAction", file: ADMIN, page: "/admin/settings", args: [{ ok: false }, { $form: {} }], adminOnly: true, cells: adminAction },
  // The bystander has no second factor, so the admin's reset is refused with its own sentence; the
  // reset of a real factor is walked in e2e/second-factor.spec.ts.
  { kind: "action", name: "resetSecondFactorAction", file: ADMIN, page: "/admin/users", args: [{ userId: "{bystanderId}" }], adminOnly: true, mutates: "bystanderSession", cells: cells("unauthorized", "not_found", "not_found", "refused", "unauthorized") },
  // Setting the policy the shared server already has ("optional"): allowed, audited, nothing else changes.
  { kind: "action", name: "updateMfaPolicyAction", file: ADMIN, page: "/admin/settings", args: [{ ok: false }, { $form: { policy: "optional" } }], adminOnly: true, cells: adminAction },
  { kind: "action", name: "deleteUserAction", file: ADMIN, page: "/admin/users", args: [{ userId: "{victimId}" }], adminOnly: true, mutates: "victim", cells: adminAction },
];
