import fs from "node:fs";
import { randomInt, randomUUID } from "node:crypto";
import type { APIRequestContext, APIResponse, PlaywrightWorkerArgs } from "@playwright/test";
import { ALL_SCOPES, type Scope } from "../../lib/scopes";
import { ADMIN, PASSWORD, expect } from "../support/fixtures";
import { DAY } from "../support/clock";
import { webhookReceiverHosts } from "../support/server-env";
import { AUTHZ_MATRIX, COLUMNS, entryName, isTeamRow, type ActionRow, type Column, type Outcome, type Row, type Target } from "./authz-matrix";

// The walker for e2e/security/authz-matrix.ts, used by authz-matrix.spec.ts: given a row and a
// caller column, it makes the request against the production server and checks the outcome the
// table names, and for every refused call, proof that the owner's state did not change (and for
// every allowed change, that it did: the check can fail). Server actions are called directly with
// the id from the build, as any client can call them.

type Persona = { email: string; id: string; name: string; cookies: StorageState; key: string };
type StorageState = Awaited<ReturnType<APIRequestContext["storageState"]>>;
type World = {
  tag: string;
  owner: Persona;
  other: Persona;
  admin: Persona;
  bystander: Persona;
  /** Full-access keys of the owner that observe its state (several, to stay under the per-key rate limit). */
  observers: string[];
  withScope: Map<Scope, string>;
  withoutScope: Map<Scope, string>;
  /** A full-access key of the owner expiring in 2 days, before every target key (5 days). */
  shortLived: string;
  /** The team columns' personas, and a developer of each team nobody else touches. */
  teamOwner: Persona;
  teamAdmin: Persona;
  teamDeveloper: Persona;
  teamViewer: Persona;
  teamBystander: Persona;
  /** A team of those five for the rows that do not change it (pages). */
  teamSlug: string;
};
const TEAM_ACTIONS = "app/(dashboard)/t/[slug]/settings/members/actions.ts";
const TEAM_KEYS_ACTIONS = "app/(dashboard)/t/[slug]/settings/api-keys/actions.ts";
const TEAM_POLICY_ACTIONS = "app/(dashboard)/t/[slug]/settings/policy/actions.ts";
const TEAM_REQUESTS_ACTIONS = "app/(dashboard)/t/[slug]/settings/requests/actions.ts";
const WEBHOOK_ACTIONS = "app/(dashboard)/settings/webhooks/actions.ts";
const TEAM_WEBHOOK_ACTIONS = "app/(dashboard)/t/[slug]/settings/webhooks/actions.ts";
export type Answer = {
  status: number;
  location: string | null;
  text: string;
  json: unknown;
  /** A server action's returned state, or its redirect (x-action-redirect). */
  action?: { ok?: boolean; message?: string; fieldErrors?: unknown } | null;
  actionRedirect?: string | null;
};

const ENDS_SESSION = "Your session has ended. Sign in again to continue.";
const ip = () => `198.18.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

/**
 * Calls a server action by its id as React does: `(state, FormData)` when an argument is
 * `{ $form }` (the form's fields prefixed "_1_", and "0" the argument list with the FormData
 * replaced by a reference to it), else the arguments as JSON.
 */
export async function postAction(request: APIRequestContext, baseURL: string, id: string, page: string, args: unknown[], headers: Record<string, string> = {}): Promise<APIResponse> {
  const base = { "Next-Action": id, Accept: "text/x-component", Origin: new URL(baseURL).origin, ...headers };
  const formIndex = args.findIndex((a) => !!a && typeof a === "object" && "$form" in a);
  if (formIndex >= 0) {
    const form = (args[formIndex] as { $form: Record<string, string> }).$form;
    // Order matters: the server decodes "0" as it streams in, so it must come last (a plain
    // object would put the integer-like key "0" first).
    const multipart = new FormData();
    for (const [k, v] of Object.entries(form)) multipart.append(`_1_${k}`, v);
    multipart.append("0", JSON.stringify(args.map((a, i) => (i === formIndex ? "$K1" : a))));
    return request.post(page, { headers: base, multipart, failOnStatusCode: false, maxRedirects: 0 });
  }
  return request.post(page, {
    headers: { ...base, "Content-Type": "text/plain;charset=UTF-8" },
    data: JSON.stringify(args),
    failOnStatusCode: false,
    maxRedirects: 0,
  });
}

/** The build's server-action ids, by "file#export". */
export function actionIds(): Map<string, string> {
  const manifest = JSON.parse(fs.readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, { exportedName?: string; filename?: string }>;
  };
  return new Map(Object.entries(manifest.node).map(([id, v]) => [`${v.filename}#${v.exportedName}`, id]));
}

/** Replaces {placeholders} in strings anywhere inside a probe. */
function fill<T>(value: T, vars: Record<string, string>): T {
  if (typeof value === "string") return value.replace(/\{(\w+)\}/g, (m, name: string) => vars[name] ?? m) as T;
  if (Array.isArray(value)) return value.map((v) => fill(v, vars)) as T;
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars)])) as T;
  return value;
}

/** The value a server action returned, from its RSC answer: row 0 names the row holding it. */
function actionResult(text: string): Answer["action"] {
  const rows = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^([0-9a-f]+):(.*)$/.exec(line);
    if (m && !rows.has(m[1]!)) rows.set(m[1]!, m[2]!);
  }
  try {
    const head = JSON.parse(rows.get("0") ?? "null") as { a?: string } | null;
    const ref = /^\$@([0-9a-f]+)$/.exec(head?.a ?? "");
    return ref ? (JSON.parse(rows.get(ref[1]!) ?? "null") as Answer["action"]) : null;
  } catch {
    return null;
  }
}

async function answerOf(response: APIResponse, isAction: boolean): Promise<Answer> {
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const headers = response.headers();
  const answer: Answer = { status: response.status(), location: headers["location"] ?? null, text, json };
  if (isAction) {
    answer.action = actionResult(text);
    const redirect = headers["x-action-redirect"];
    answer.actionRedirect = redirect ? new URL(redirect.split(";")[0]!, "http://x").pathname : null;
  }
  return answer;
}

export class Walker {
  private readonly ids = actionIds();
  private observerTurn = 0;
  world!: World;

  constructor(
    private readonly playwright: PlaywrightWorkerArgs["playwright"],
    private readonly baseURL: string,
  ) {}

  /** A fresh request context: its own client address, and the persona's cookies or none. */
  async context(cookies?: StorageState): Promise<APIRequestContext> {
    return this.playwright.request.newContext({ baseURL: this.baseURL, storageState: cookies, extraHTTPHeaders: { "X-Forwarded-For": ip() } });
  }

  async api(method: string, path: string, key: string | null, body?: unknown): Promise<Answer> {
    const request = await this.context();
    try {
      const response = await request.fetch(path, {
        method,
        headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
        data: body !== undefined ? Buffer.from(JSON.stringify(body)) : undefined,
        failOnStatusCode: false,
        maxRedirects: 0,
      });
      return await answerOf(response, false);
    } finally {
      await request.dispose();
    }
  }

  observer(): string {
    const keys = this.world.observers;
    return keys[this.observerTurn++ % keys.length]!;
  }

  /** Calls a server action as any client can: POST to a page with its id and encoded arguments. */
  async action(request: APIRequestContext, row: Pick<ActionRow, "file" | "name" | "page">, args: unknown[], headers: Record<string, string> = {}) {
    const id = this.ids.get(`${row.file}#${row.name}`);
    if (!id) throw new Error(`no server action ${row.file}#${row.name} in this build`);
    return answerOf(await postAction(request, this.baseURL, id, row.page, args, headers), true);
  }

  /** Signs up through the sign-up action and returns the new session's cookies. */
  async signUp(name: string, email: string): Promise<StorageState> {
    const request = await this.context();
    const answer = await this.action(request, { file: "app/(auth)/actions.ts", name: "signUpAction", page: "/signup" }, [
      { ok: false },
      { $form: { name, email, password: PASSWORD } },
    ]);
    expect(answer.actionRedirect, answer.text.slice(0, 300)).toBe("/settings/api-keys");
    const state = await request.storageState();
    await request.dispose();
    return state;
  }

  async signIn(email: string): Promise<StorageState> {
    const request = await this.context();
    const answer = await this.action(request, { file: "app/(auth)/actions.ts", name: "signInAction", page: "/login" }, [
      { ok: false },
      { $form: { email, password: PASSWORD } },
    ]);
    expect(answer.actionRedirect, answer.text.slice(0, 300)).toBe("/settings/api-keys");
    const state = await request.storageState();
    await request.dispose();
    return state;
  }

  /** A full-access key made through the dashboard's create action, for a signed-in persona. */
  async dashboardKey(cookies: StorageState, name: string): Promise<{ secret: string; id: string }> {
    const request = await this.context(cookies);
    const answer = await this.action(request, { file: "app/(dashboard)/settings/api-keys/actions.ts", name: "createApiKeyAction", page: "/settings/api-keys" }, [
      { ok: false },
      { $form: { name, description: "", access: "full", expiration: "30" } },
    ]);
    await request.dispose();
    const data = (answer.action as { data?: { secret: string; id: string } } | null)?.data;
    expect(data?.secret, `${name}: ${answer.status} ${answer.text.slice(0, 300)}`).toMatch(/^ksk_/);
    return data!;
  }

  /** A key made through the API; it must expire before its parent (a key cannot outlive its maker). */
  async apiKey(parent: string, name: string, scopes: Scope[], days: number): Promise<{ secret: string; id: string }> {
    const res = await this.api("POST", "/api/v1/keys", parent, { name, scopes, expiresAt: inDays(days) });
    expect(res.status, res.text).toBe(201);
    const body = res.json as { key: string; id: string };
    return { secret: body.key, id: body.id };
  }

  async persona(cookies: StorageState, email: string, name: string): Promise<Persona> {
    const { secret } = await this.dashboardKey(cookies, `${name} root ${randomInt(1e9)}`);
    const me = await this.api("GET", "/api/v1/me", secret);
    expect(me.status, me.text).toBe(200);
    return { email, name, cookies, key: secret, id: (me.json as { owner: { id: string } }).owner.id };
  }

  async setUp() {
    const tag = `authz${randomUUID().slice(0, 8)}`;
    const person = async (label: string) => {
      const email = `${label}-${randomUUID()}@example.test`;
      const name = label === "owner" ? `Owner ${tag}` : `Matrix ${label}`;
      return this.persona(await this.signUp(name, email), email, name);
    };
    const owner = await person("owner");
    const other = await person("other");
    const bystander = await person("bystander");
    // An admin of this run's own: signing out ends every session of the account, so the matrix
    // must not sign the deployment's shared admin out from under other specs.
    const admin = await person("admin");
    const root = await this.context(await this.signIn(ADMIN.email));
    const promoted = await this.action(root, { file: "app/(dashboard)/admin/actions.ts", name: "setUserRoleAction", page: "/admin/users" }, [
      { userId: admin.id, role: "admin" },
    ]);
    await root.dispose();
    expect(promoted.action?.ok, JSON.stringify(promoted.action)).toBe(true);
    const observers = [owner.key];
    for (let i = 0; i < 5; i++) observers.push((await this.apiKey(owner.key, `${tag} observer ${i}`, [...ALL_SCOPES], 25)).secret);
    const withScope = new Map<Scope, string>();
    const withoutScope = new Map<Scope, string>();
    for (const scope of new Set(AUTHZ_MATRIX.flatMap((r) => (r.kind === "route" && r.scope ? [r.scope] : [])))) {
      withScope.set(scope, (await this.apiKey(observers[1]!, `${tag} with ${scope}`, [scope], 10)).secret);
      // Every scope but this one, and not the write scope that implies a read one.
      const implies = scope.endsWith(":read") ? scope.replace(/:read$/, ":write") : null;
      const rest = ALL_SCOPES.filter((s) => s !== scope && s !== implies);
      withoutScope.set(scope, (await this.apiKey(observers[2]!, `${tag} without ${scope}`, rest, 10)).secret);
    }
    // Every scope, but it expires before the target keys (5 days): it may not rotate them.
    const shortLived = (await this.apiKey(observers[3]!, `${tag} short-lived`, [...ALL_SCOPES], 2)).secret;
    const [teamOwner, teamAdmin, teamDeveloper, teamViewer, teamBystander] = [
      await person("team-owner"),
      await person("team-admin"),
      await person("team-developer"),
      await person("team-viewer"),
      await person("team-bystander"),
    ] as [Persona, Persona, Persona, Persona, Persona];
    this.world = { tag, owner, other, admin, bystander, observers, withScope, withoutScope, shortLived, teamOwner, teamAdmin, teamDeveloper, teamViewer, teamBystander, teamSlug: "" };
    this.world.teamSlug = await this.newTeam();
  }

  /** A team made by the team owner persona, with the admin, developer, viewer and bystander (a developer) added. */
  async newTeam(): Promise<string> {
    const w = this.world;
    const slug = `mx-${randomUUID().slice(0, 12)}`;
    const request = await this.context(w.teamOwner.cookies);
    try {
      const made = await this.action(request, { file: "app/(dashboard)/t/new/actions.ts", name: "createTeamAction", page: "/t/new" }, [
        { ok: false },
        { $form: { name: `Matrix team ${slug}`, slug } },
      ]);
      expect(made.actionRedirect, made.text.slice(0, 300)).toBe(`/t/${slug}/settings/members`);
      for (const [persona, role] of [
        [w.teamAdmin, "admin"],
        [w.teamDeveloper, "developer"],
        [w.teamViewer, "viewer"],
        [w.teamBystander, "developer"],
      ] as const) {
        const added = await this.action(request, { file: TEAM_ACTIONS, name: "addMemberAction", page: `/t/${slug}/settings/members` }, [slug, { ok: false }, { $form: { email: persona.email, role } }]);
        expect(added.action?.ok, `${added.status} ${added.text.slice(0, 600)}`).toBe(true);
      }
    } finally {
      await request.dispose();
    }
    return slug;
  }

  private teamObservers = new Map<string, { secrets: string[]; turn: number }>();

  /** A keys:read key of the team, made by its owner the first time (three, taken in turn: each key's rate limit). */
  async teamObserver(teamSlug: string): Promise<string> {
    let entry = this.teamObservers.get(teamSlug);
    if (!entry) {
      const secrets: string[] = [];
      const request = await this.context(this.world.teamOwner.cookies);
      try {
        for (let i = 0; i < 3; i++) {
          const made = await this.action(request, { file: TEAM_KEYS_ACTIONS, name: "createTeamApiKeyAction", page: `/t/${teamSlug}/settings/api-keys` }, [
            teamSlug,
            { ok: false },
            { $form: { name: `Matrix team observer ${i}`, description: "", access: "restricted", "permissions.keys": "read", expiration: "30" } },
          ]);
          const secret = (made.action as { data?: { secret?: string } } | null)?.data?.secret;
          expect(secret, made.text.slice(0, 600)).toBeTruthy();
          secrets.push(secret!);
        }
      } finally {
        await request.dispose();
      }
      entry = { secrets, turn: 0 };
      this.teamObservers.set(teamSlug, entry);
    }
    return entry.secrets[entry.turn++ % entry.secrets.length]!;
  }

  /** A key of the row's team made for one cell by the team's owner (restricted: no step-up needed). */
  async newTeamKey(teamSlug: string): Promise<{ teamKeyId: string }> {
    const request = await this.context(this.world.teamOwner.cookies);
    try {
      const made = await this.action(request, { file: TEAM_KEYS_ACTIONS, name: "createTeamApiKeyAction", page: `/t/${teamSlug}/settings/api-keys` }, [
        teamSlug,
        { ok: false },
        { $form: { name: `Matrix team key ${randomUUID().slice(0, 8)}`, description: "", access: "restricted", "permissions.keys": "read", expiration: "30" } },
      ]);
      const id = (made.action as { data?: { id?: string } } | null)?.data?.id;
      expect(id, made.text.slice(0, 600)).toBeTruthy();
      return { teamKeyId: id! };
    } finally {
      await request.dispose();
    }
  }

  private approvalsOn = new Set<string>();

  /** The team's Full-access keys behind approval (once per team), so its developer's Full keys are requested. */
  async ensureApprovals(teamSlug: string) {
    if (this.approvalsOn.has(teamSlug)) return;
    const request = await this.context(this.world.teamOwner.cookies);
    try {
      const set = await this.action(request, { file: TEAM_POLICY_ACTIONS, name: "changeTeamPolicyAction", page: `/t/${teamSlug}/settings/policy` }, [
        teamSlug,
        { ok: false },
        { $form: { lifetime: "deployment", developerScopesMode: "all", approvalFrom: "full" } },
      ]);
      expect(set.action?.ok, set.text.slice(0, 600)).toBe(true);
    } finally {
      await request.dispose();
    }
    this.approvalsOn.add(teamSlug);
  }

  /** A Full-access key requested by the team's developer for one cell; approved by its owner when asked. */
  async newTeamRequest(teamSlug: string, approved: boolean): Promise<Record<string, string>> {
    await this.ensureApprovals(teamSlug);
    const developer = await this.context(this.world.teamDeveloper.cookies);
    let requestId: string;
    try {
      const made = await this.action(developer, { file: TEAM_REQUESTS_ACTIONS, name: "requestTeamKeyAction", page: `/t/${teamSlug}/settings/api-keys` }, [
        teamSlug,
        { ok: false },
        { $form: { name: `Matrix request ${randomUUID().slice(0, 8)}`, description: "", access: "full", expiration: "30" } },
      ]);
      requestId = (made.action as { data?: { id?: string } } | null)?.data?.id ?? "";
      expect(requestId, made.text.slice(0, 600)).toBeTruthy();
    } finally {
      await developer.dispose();
    }
    if (!approved) return { teamRequestId: requestId };
    const owner = await this.context(this.world.teamOwner.cookies);
    try {
      const ok = await this.action(owner, { file: TEAM_REQUESTS_ACTIONS, name: "approveKeyRequestAction", page: `/t/${teamSlug}/settings/requests` }, [teamSlug, { ok: false }, { $form: { requestId } }]);
      expect(ok.action?.ok, ok.text.slice(0, 600)).toBe(true);
    } finally {
      await owner.dispose();
    }
    return { teamApprovedRequestId: requestId };
  }

  /**
   * A webhook endpoint of the owner's made for one cell, with one delivery (a test event) in its log:
   * {endpointId} and {deliveryId}. Its URL is the suite's unanswered loopback receiver (allowed by
   * WEBHOOK_ALLOWED_HOSTS), so the delivery stays under way: the owner's "send again" is refused.
   */
  async newWebhook(teamSlug?: string): Promise<{ endpointId: string; deliveryId: string }> {
    const request = await this.context(teamSlug ? this.world.teamOwner.cookies : this.world.owner.cookies);
    try {
      const page = teamSlug ? `/t/${teamSlug}/settings/webhooks` : "/settings/webhooks";
      const file = teamSlug ? TEAM_WEBHOOK_ACTIONS : WEBHOOK_ACTIONS;
      const before = teamSlug ? [teamSlug] : [];
      const made = await this.action(request, { file, name: teamSlug ? "createTeamWebhookAction" : "createWebhookAction", page }, [
        ...before,
        { ok: false },
        { $form: { url: `http://${webhookReceiverHosts()[1]}/matrix`, description: "", events: "key.created" } },
      ]);
      const endpointId = (made.action as { data?: { endpointId?: string } } | null)?.data?.endpointId ?? "";
      expect(endpointId, made.text.slice(0, 600)).toBeTruthy();
      const test = await this.action(request, { file, name: teamSlug ? "sendTeamTestEventAction" : "sendTestEventAction", page }, [...before, endpointId]);
      expect(test.action?.ok, test.text.slice(0, 600)).toBe(true);
      const html = await (await request.get(`${page}/${endpointId}`)).text();
      const deliveryId = /data-delivery-id="([0-9a-f-]{36})"/.exec(html)?.[1] ?? "";
      expect(deliveryId, "the endpoint page lists the test event's delivery").toBeTruthy();
      return { endpointId, deliveryId };
    } finally {
      await request.dispose();
    }
  }

  /** An access review for one cell: the run's admin's over the owner's keys, or the team owner's over a team's keys. */
  async newReview(teamSlug?: string): Promise<{ reviewId: string }> {
    if (teamSlug) await this.teamObserver(teamSlug);
    const request = await this.context(teamSlug ? this.world.teamOwner.cookies : this.world.admin.cookies);
    try {
      const form = { name: `Matrix review ${randomUUID().slice(0, 8)}`, dueDate: inDays(7).slice(0, 10), onDue: "flag" };
      const made = teamSlug
        ? await this.action(request, { file: "app/(dashboard)/t/[slug]/settings/reviews/actions.ts", name: "startTeamAccessReviewAction", page: `/t/${teamSlug}/settings/reviews` }, [teamSlug, { ok: false }, { $form: form }])
        : // Due half a year on: the shared server's background clock follows the furthest any request moved the
          // test clock (91 days, e2e/lifecycle.spec.ts), and a review past due would be closed before the owner's
          // answer is walked. A team's review is only read, so its due date does not matter.
          await this.action(request, { file: "app/(dashboard)/admin/reviews/actions.ts", name: "startAccessReviewAction", page: "/admin/reviews" }, [
            { ok: false },
            { $form: { ...form, dueDate: inDays(180).slice(0, 10), owner: this.world.owner.email } },
          ]);
      const reviewId = (made.action as { data?: { reviewId?: string } } | null)?.data?.reviewId ?? "";
      expect(reviewId, made.text.slice(0, 600)).toBeTruthy();
      return { reviewId };
    } finally {
      await request.dispose();
    }
  }

  async dropWebhook(endpointId: string, teamSlug?: string): Promise<void> {
    const request = await this.context(teamSlug ? this.world.teamOwner.cookies : this.world.owner.cookies);
    try {
      if (teamSlug) await this.action(request, { file: TEAM_WEBHOOK_ACTIONS, name: "deleteTeamWebhookAction", page: `/t/${teamSlug}/settings/webhooks` }, [teamSlug, endpointId]);
      else await this.action(request, { file: WEBHOOK_ACTIONS, name: "deleteWebhookAction", page: "/settings/webhooks" }, [endpointId]);
    } finally {
      await request.dispose();
    }
  }

  /** A member made for one cell (deleting cannot be undone), with a key that shows whether they still exist. */
  async newVictim(): Promise<{ victimId: string; victimKey: string }> {
    const email = `victim-${randomUUID()}@example.test`;
    const victim = await this.persona(await this.signUp("Matrix victim", email), email, "Matrix victim");
    return { victimId: victim.id, victimKey: victim.key };
  }

  /** An invitation made for one cell by the run's admin (the shared server shows its link instead of mailing it). */
  async newInvitation(): Promise<{ invitationId: string; invitationToken: string }> {
    const request = await this.context(this.world.admin.cookies);
    const answer = await this.action(request, { file: "app/(dashboard)/admin/actions.ts", name: "createInvitationAction", page: "/admin/users" }, [
      { ok: false },
      { $form: { email: `invitee-${randomUUID()}@example.test`, role: "member" } },
    ]);
    await request.dispose();
    const data = (answer.action as { data?: { invitationId?: string; link?: string } } | null)?.data;
    expect(data?.link, answer.text.slice(0, 300)).toMatch(/#token=ksi_/);
    return { invitationId: data!.invitationId!, invitationToken: data!.link!.split("#token=")[1]! };
  }


  /** A fresh key of the owner's to aim a call at: its id and its (unique) name. */
  async targetKey(scope: Scope | null | undefined): Promise<{ keyId: string; keyName: string }> {
    const keyName = `${this.world.tag} target ${String(randomInt(1e9)).padStart(9, "0")}`; // fixed width: no name is part of another
    return { keyId: (await this.apiKey(this.observer(), keyName, [scope ?? "keys:read"], 5)).id, keyName };
  }

  /** An endpoint as its page shows it to `cookies`: its URL, whether it is on, its events, its deliveries. */
  async webhookPage(cookies: StorageState, path: string): Promise<string> {
    const request = await this.context(cookies);
    const res = await request.get(path, { maxRedirects: 0 });
    const html = await res.text();
    await request.dispose();
    const heading = /<h2 id="endpoint-heading"[^>]*>([^<]*)<\/h2>/.exec(html)?.[1] ?? "";
    const state = /data-endpoint-state="([a-z]+)"/.exec(html)?.[1] ?? "";
    const events = /data-endpoint-events="([^"]*)"/.exec(html)?.[1] ?? "";
    // Which deliveries, not how their attempts go (the server keeps trying them meanwhile).
    const deliveries = [...html.matchAll(/data-delivery-id="([^"]*)"/g)].map((m) => m[1]).join(",");
    return `${res.status()} ${heading} ${state} ${events} ${deliveries}`;
  }

  /** The owner's state a row may change, as text to compare. */
  async snapshot(target: Target, vars: Record<string, string>): Promise<string> {
    const w = this.world;
    // Usage fields move whenever a key is used (the observers themselves), so they are left out.
    const read = async (path: string, key: string, pick: (body: any) => unknown) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const res = await this.api("GET", path, key);
      expect(res.status === 200 || res.status === 404, `snapshot ${path}: ${res.status} ${res.text}`).toBe(true);
      return `${res.status} ${JSON.stringify(res.status === 200 ? pick(res.json) : res.json)}`;
    };
    const stable = ({ lastUsedAt, lastUsedIp, ...key }: Record<string, unknown>) => (void lastUsedAt, void lastUsedIp, key);
    switch (target) {
      case "ownerKey":
        return read(`/api/v1/keys/${vars.keyId}`, this.observer(), stable);
      case "ownerKeys":
        return read("/api/v1/keys?limit=100", this.observer(), (b: { data: Record<string, unknown>[] }) => b.data.map(stable));
      case "ownerAccount":
        return read("/api/v1/profile", this.observer(), (b) => b);
      case "bystanderRole":
        return read("/api/v1/profile", w.bystander.key, (b: { role: string }) => b.role);
      case "bystanderSession": {
        const request = await this.context(w.bystander.cookies);
        const res = await request.get("/settings/profile", { maxRedirects: 0 });
        await request.dispose();
        return `profile page ${res.status()} ${res.headers().location ?? ""}`;
      }
      case "invitation": {
        // What the page that accepts it is told: its address, or that it cannot be used.
        const request = await this.context();
        const answer = await this.action(request, { file: "app/(auth)/actions.ts", name: "invitationDetailsAction", page: "/invite" }, [vars.invitationToken]);
        await request.dispose();
        return JSON.stringify(answer.action);
      }
      case "team": {
        // The team as its owner's members page shows it: its name, each member's address and role.
        const request = await this.context(w.teamOwner.cookies);
        const res = await request.get(`/t/${vars.teamSlug}/settings/members`, { maxRedirects: 0 });
        const html = await res.text();
        await request.dispose();
        const name = /<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1] ?? "";
        const members = [...html.matchAll(/data-member-email="([^"]*)" data-member-role="([^"]*)"/g)].map((m) => `${m[1]}=${m[2]}`);
        return `${res.status()} ${name} ${members.join(",")}`;
      }
      case "teamRequest": {
        // The request's status, as the team owner's Requests page shows it.
        const id = vars.teamRequestId ?? vars.teamApprovedRequestId;
        const request = await this.context(w.teamOwner.cookies);
        const res = await request.get(`/t/${vars.teamSlug}/settings/requests`, { maxRedirects: 0 });
        const html = await res.text();
        await request.dispose();
        // The item's first status badge (components/teams/request-view.ts STATUS_WORDS) after its id.
        const status = new RegExp(`data-request-id="${id}"[\\s\\S]*?(Waiting for approval|Approved: create the key|Denied|Cancelled|Key created)`).exec(html)?.[1];
        return `${res.status()} ${status ?? "absent"}`;
      }
      case "ownerWebhook": {
        // The endpoint as its owner's page shows it: its URL, whether it is on, its events and its deliveries.
        return this.webhookPage(w.owner.cookies, `/settings/webhooks/${vars.endpointId}`);
      }
      case "teamWebhook": {
        // The team's endpoint as its owner's page shows it (the same fields as ownerWebhook).
        return this.webhookPage(w.teamOwner.cookies, `/t/${vars.teamSlug}/settings/webhooks/${vars.teamEndpointId}`);
      }
      case "teamKeys":
        // The team's keys as a keys:read key of the team lists them (HTML is streamed: chunks can land mid-row).
        return read("/api/v1/keys?limit=100", await this.teamObserver(vars.teamSlug!), (b: { data: Record<string, unknown>[] }) => b.data.map(stable));
      case "bystanderStatus":
      case "victim": {
        const res = await this.api("GET", "/api/v1/me", target === "victim" ? vars.victimKey! : w.bystander.key);
        return `${res.status} ${(res.json as { error?: { code?: string } } | null)?.error?.code ?? ""}`;
      }
    }
  }

  /** An admin action on the bystander, as the run's own admin (setting up or undoing a cell). */
  async adminOnBystander(name: "suspendUserAction" | "reinstateUserAction") {
    const request = await this.context(this.world.admin.cookies);
    const answer = await this.action(request, { file: "app/(dashboard)/admin/actions.ts", name, page: "/admin/users" }, [{ userId: this.world.bystander.id }]);
    await request.dispose();
    expect(answer.action?.ok, JSON.stringify(answer.action)).toBe(true);
  }

  /** Undoes an allowed change that would leak into other rows or specs. */
  async restore(target: Target) {
    if (target === "bystanderStatus") {
      // Reinstated, and signed in again (suspension ended every session).
      await this.adminOnBystander("reinstateUserAction");
      this.world.bystander.cookies = await this.signIn(this.world.bystander.email);
      return;
    }
    if (target === "bystanderSession") {
      // Ended sessions stay ended: the bystander signs in again for the next cell.
      this.world.bystander.cookies = await this.signIn(this.world.bystander.email);
      return;
    }
    if (target !== "bystanderRole") return;
    const request = await this.context(this.world.admin.cookies);
    const answer = await this.action(request, { file: "app/(dashboard)/admin/actions.ts", name: "setUserRoleAction", page: "/admin/users" }, [
      { userId: this.world.bystander.id, role: "member" },
    ]);
    await request.dispose();
    expect(answer.action?.ok, JSON.stringify(answer.action)).toBe(true);
  }

  /** Who sends what for a column: a session's cookies, or a key as Bearer. */
  credentials(row: Row, column: Column): { cookies?: StorageState; key?: string } {
    const w = this.world;
    switch (column) {
      case "anonymous":
        return {};
      case "other":
      case "owner":
      case "admin":
        return { cookies: w[column].cookies };
      case "keyWithScope":
        if (row.kind === "route" && row.scope) return { key: w.withScope.get(row.scope)! };
        return { key: row.adminOnly ? w.admin.key : w.owner.key };
      case "keyWithoutScope":
        if (row.kind === "route" && row.scope) return { key: w.withoutScope.get(row.scope)! };
        throw new Error(`${entryName(row)}: keyWithoutScope needs a scope`);
      case "otherKey":
        return { key: w.other.key };
      case "adminKey":
        return { key: w.admin.key };
      case "shortLivedKey":
        return { key: w.shortLived };
      case "teamOwner":
      case "teamAdmin":
      case "teamDeveloper":
      case "teamViewer":
        return { cookies: w[column].cookies };
    }
  }

  vars(extra: Record<string, string> = {}): Record<string, string> {
    const uniq = randomUUID().slice(0, 8);
    return {
      ownerEmail: this.world.owner.email,
      otherEmail: this.world.other.email,
      teamSlug: this.world.teamSlug,
      teamBystanderId: this.world.teamBystander.id,
      ownerPassword: PASSWORD,
      bystanderId: this.world.bystander.id,
      uniq,
      email: `matrix-${uniq}@example.test`,
      tomorrow: inDays(1),
      inAWeek: inDays(7).slice(0, 10),
      ...extra,
    };
  }

  /** Makes one cell's request. */
  async call(row: Row, column: Column, vars: Record<string, string>): Promise<Answer> {
    const credentials = this.credentials(row, column);
    const { key } = credentials;
    let { cookies } = credentials;
    const persona = row.kind === "action" && row.endsSession && cookies ? this.world[column as "other" | "owner" | "admin"] : null;
    if (persona) cookies = await this.signIn(persona.email);
    const request = await this.context(cookies);
    const auth: Record<string, string> = key ? { Authorization: `Bearer ${key}` } : {};
    try {
      if (row.kind === "action") return await this.action(request, { ...row, page: fill(row.page, vars) }, fill(row.args, vars), auth);
      const url = fill(row.url, vars);
      if (row.kind === "route" && row.needsCsrf) {
        const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
        const form = { ...fill(row.body as Record<string, string>, vars), csrfToken, callbackUrl: row.redirectsTo ?? "/" };
        return await answerOf(await request.post(url, { headers: auth, form, failOnStatusCode: false, maxRedirects: 0 }), false);
      }
      const method = row.kind === "route" ? row.method : "GET";
      const body = row.kind === "route" && row.body !== undefined ? Buffer.from(JSON.stringify(fill(row.body, vars))) : undefined;
      const response = await request.fetch(url, {
        method,
        headers: { ...auth, ...(body ? { "Content-Type": "application/json" } : {}) },
        data: body,
        failOnStatusCode: false,
        maxRedirects: 0,
      });
      return await answerOf(response, false);
    } finally {
      await request.dispose();
      // Signing out ends every session of the account (users.session_version): the persona signs
      // in again so the following cells still have a working session.
      if (persona) persona.cookies = await this.signIn(persona.email);
    }
  }

  /**
   * What of the owner's must never reach another caller. The target key's id counts only where the
   * caller did not send it (a page echoes its own URL).
   */
  ownerMarks(vars: Record<string, string>, withKeyId: boolean): string[] {
    const { owner, tag } = this.world;
    return [owner.email, owner.id, tag, ...(withKeyId && vars.keyId ? [vars.keyId] : [])];
  }

  /** Asserts that an answer is the outcome the table names. */
  check(row: Row, column: Column, expected: Outcome, answer: Answer, vars: Record<string, string>) {
    const where = `${entryName(row)} as ${column}: expected ${expected}, got ${answer.status} ${answer.location ?? ""} ${answer.actionRedirect ?? ""} ${JSON.stringify(answer.action ?? null)} ${answer.text.slice(0, 200)}`;
    const path = (location: string | null) => (location ? new URL(location, this.baseURL).pathname : null);
    const errorCode = (answer.json as { error?: { code?: string } } | null)?.error?.code;
    const apiV1 = row.kind === "route" && row.path.startsWith("/api/v1");
    if (row.kind === "action") {
      switch (expected) {
        case "ok":
        case "own":
          if (row.redirectsTo) expect(answer.actionRedirect, where).toBe(fill(row.redirectsTo, vars));
          else expect(answer.action?.ok, where).toBe(true);
          break;
        case "unauthorized":
          expect(answer.actionRedirect ?? null, where).toBeNull();
          expect(answer.action, where).toMatchObject({ ok: false, message: ENDS_SESSION });
          break;
        case "not_found":
          expect(answer.actionRedirect ?? null, where).toBeNull();
          expect(answer.action?.ok, where).toBe(false);
          expect(answer.action?.message, where).toMatch(/not found/i);
          break;
        case "refused":
          expect(answer.actionRedirect ?? null, where).toBeNull();
          expect(answer.action?.ok, where).toBe(false);
          expect(answer.action?.message, where).toBeTruthy();
          break;
        default:
          throw new Error(`${where}: not an outcome for an action`);
      }
    } else {
      switch (expected) {
        case "ok":
        case "own":
          if (row.kind === "route" && row.redirectsTo) {
            expect(answer.status, where).toBe(302);
            expect(path(answer.location), where).toBe(row.redirectsTo);
          } else {
            expect(answer.status, where).toBeGreaterThanOrEqual(200);
            expect(answer.status, where).toBeLessThan(300);
          }
          break;
        case "login":
        case "home":
          expect(answer.status, where).toBe(307);
          expect(path(answer.location), where).toBe(expected === "login" ? "/login" : "/settings/api-keys");
          break;
        case "not_found":
          expect(answer.status, where).toBe(404);
          // A key route names what is missing (key_not_found); any other path is not_found.
          if (apiV1) expect(errorCode, where).toMatch(/^(key_)?not_found$/);
          break;
        case "unauthorized":
          expect(answer.status, where).toBe(401);
          expect(errorCode, where).toBe("unauthorized");
          break;
        case "forbidden":
          expect(answer.status, where).toBe(403);
          expect(errorCode, where).toBe("insufficient_scope");
          break;
        case "outlives":
          expect(answer.status, where).toBe(403);
          expect(errorCode, where).toBe("expiry_beyond_caller");
          break;
        default:
          throw new Error(`${where}: not an outcome`);
      }
    }
    if (expected !== "ok" && expected !== "own" && answer.text.length > 0) {
      // A refusal says nothing of what it guards.
      for (const mark of this.ownerMarks(vars, false)) if (column !== "owner" && column !== "keyWithScope") expect(answer.text, `${where}: leaks ${mark}`).not.toContain(mark);
    }
    if (expected === "own") for (const mark of this.ownerMarks(vars, true)) expect(answer.text, `${where}: shows the owner's ${mark}`).not.toContain(mark);
  }

  /** Walks one row: every column, a fresh target where the call may change it, state checked. */
  async walk(row: Row) {
    const usesKey = /\{key(Id|Name)\}/.test(JSON.stringify(row));
    const usesVictim = JSON.stringify(row).includes("{victimId}");
    const usesInvitation = JSON.stringify(row).includes("{invitationId}");
    const usesTeamKey = JSON.stringify(row).includes("{teamKeyId}");
    const usesWebhook = /\{(endpoint|delivery)Id\}/.test(JSON.stringify(row));
    const usesTeamWebhook = /\{team(Endpoint|Delivery)Id\}/.test(JSON.stringify(row));
    const usesReview = JSON.stringify(row).includes("{reviewId}");
    const usesTeamReview = JSON.stringify(row).includes("{teamReviewId}");
    const usesTeamRequest = /\{team(Approved)?RequestId\}/.exec(JSON.stringify(row));
    if (isTeamRow(row)) {
      await this.ensureApprovals(this.world.teamSlug);
      // The team has usable keys (its observers'), so a team's access review has keys to take.
      await this.teamObserver(this.world.teamSlug);
    }
    const scope = row.kind === "route" ? row.scope : undefined;
    // A call that may change the key gets a key of its own; read-only rows share one.
    const shared = usesKey && !(row.kind !== "page" && row.mutates === "ownerKey") ? await this.targetKey(scope) : null;
    for (const column of COLUMNS) {
      const expected = row.cells[column];
      if (expected === "n/a") continue;
      const key = usesKey ? (shared ?? (await this.targetKey(scope))) : undefined;
      const victim = usesVictim ? await this.newVictim() : undefined;
      const invitation = usesInvitation ? await this.newInvitation() : undefined;
      // A row that changes its team gets a fresh one for each cell (a deleted team cannot be restored).
      const team = isTeamRow(row) && row.kind !== "page" && row.mutates === "team" ? { teamSlug: await this.newTeam() } : undefined;
      const teamKey = usesTeamKey ? await this.newTeamKey(team?.teamSlug ?? this.world.teamSlug) : undefined;
      const teamRequest = usesTeamRequest ? await this.newTeamRequest(team?.teamSlug ?? this.world.teamSlug, usesTeamRequest[1] === "Approved") : undefined;
      const webhook = usesWebhook ? await this.newWebhook() : undefined;
      const teamSlugOfCell = team?.teamSlug ?? this.world.teamSlug;
      const teamWebhookMade = usesTeamWebhook ? await this.newWebhook(teamSlugOfCell) : undefined;
      const teamWebhook = teamWebhookMade ? { teamEndpointId: teamWebhookMade.endpointId, teamDeliveryId: teamWebhookMade.deliveryId } : undefined;
      // After the key: a review takes the keys that exist when it starts.
      const review = usesReview ? await this.newReview() : undefined;
      const teamReview = usesTeamReview ? { teamReviewId: (await this.newReview(teamSlugOfCell)).reviewId } : undefined;
      const vars = this.vars({ ...key, ...victim, ...invitation, ...team, ...teamKey, ...teamRequest, ...webhook, ...review, ...teamWebhook, ...teamReview });
      if (row.kind === "action" && row.given === "bystanderSuspended") await this.adminOnBystander("suspendUserAction");
      const target = row.kind === "page" ? undefined : row.mutates;
      const before = target ? await this.snapshot(target, vars) : null;
      const answer = await this.call(row, column, vars);
      this.check(row, column, expected, answer, vars);
      if (target) {
        const after = await this.snapshot(target, vars);
        if (expected === "ok") {
          expect(after, `${entryName(row)} as ${column}: the allowed call should have changed the owner's ${target}`).not.toBe(before);
          await this.restore(target);
        } else {
          expect(after, `${entryName(row)} as ${column}: a refused call changed the owner's ${target}`).toBe(before);
          if (row.kind === "action" && row.given) await this.restore(target);
        }
      }
      // The owner keeps at most 20 endpoints: each cell's goes once the cell is checked (the delete row's is gone already).
      if (webhook) await this.dropWebhook(webhook.endpointId);
      if (teamWebhookMade) await this.dropWebhook(teamWebhookMade.endpointId, teamSlugOfCell);
    }
  }
}
