/**
 * One name per thing. The words a user reads, decided once: components use these constants for
 * the names of places and actions, the browser tests find controls by them, and
 * `test/glossary.test.ts` fails when the interface says a thing another way (`AVOID`).
 *
 * Capitals: the name of a place or of the action that opens a form is written the way the product
 * definition writes it ("API Keys", "Create API Key", "API Access"), wherever it appears, the
 * button and the dialog it opens alike. The thing itself, in running text, is an "API key" (or a
 * "key" once the sentence has said which).
 */

/** Places: navigation items, page titles and headings, and links that lead there. */
export const PLACES = {
  /** A user's own keys, Settings → API Keys: the product's core, also a main navigation item. */
  apiKeys: "API Keys",
  /**
   * The user menu's entry to the API Keys page, as the product definition names it. It is the
   * only place this label appears: the page it opens is always called API Keys.
   */
  apiAccess: "API Access",
  /** Admin → every user's keys. */
  allApiKeys: "All API keys",
  auditLog: "Audit log",
  activity: "Activity",
  /** Settings → Notifications (keys about to expire; the main menu's bell leads there). */
  notifications: "Notifications",
  profile: "Profile",
  /** Settings → Review your keys: the keys access reviews ask one about. */
  reviewYourKeys: "Review your keys",
  /** Admin → Access reviews. */
  accessReviews: "Access reviews",
  /** Settings → Webhooks: endpoints told of one's keys' events. */
  webhooks: "Webhooks",
  apiReference: "API reference",
  /** A team's members page (Team → Members). */
  teamMembers: "Members",
  /** A team's key policy page (Team → Key policy). */
  teamPolicy: "Key policy",
  /** A team's key requests page (Team → Requests): approvals wait there. */
  teamRequests: "Requests",
  /** A team's requests over its keys (Team → Usage). */
  teamUsage: "Usage",
  /** The page that creates a team (the context switcher's last item leads there). */
  createTeam: "Create team",
} as const;

/** Actions: buttons and the dialogs they open (a dialog is titled like its button). */
export const ACTIONS = {
  createKey: "Create API Key",
  /** The create dialog's submit button: the key appears, once, after it. */
  generate: "Generate",
  copyKey: "Copy API key",
  /** Step-up: the dialog that asks for a passkey, an authenticator code or the password before a sensitive change. */
  confirmIdentity: "Confirm it's you",
  /** Step-up with a passkey (the dialog's first choice when the account has one). */
  usePasskey: "Use your passkey",
  /** Profile → Passkeys: registers a new passkey (the current password first). */
  addPasskey: "Add passkey",
  /** The sign-in page's usernameless passkey sign-in. */
  signInWithPasskey: "Sign in with a passkey",
  /** The second step of a password or SSO sign-in, for an account with a passkey. */
  useYourPasskey: "Use your passkey",
} as const;

/**
 * Words the interface does not use, with the one it uses instead. Checked over the text of
 * `app/` and `components/` (not code identifiers): see test/glossary.test.ts.
 */
export const AVOID: ReadonlyArray<{ pattern: RegExp; use: string }> = [
  { pattern: /\bAPI tokens?\b|\baccess tokens?\b|\bpersonal tokens?\b/i, use: "API key (a key is the product's one kind of credential)" },
  { pattern: /\bAPI-keys?\b|\bApi keys?\b|\bapikeys?\b/, use: "API key" },
  { pattern: /\bsecret keys?\b/i, use: "API key (its secret is shown once)" },
  { pattern: /Create API key\b/, use: ACTIONS.createKey },
  { pattern: /Create (a )?(new )?key\b/i, use: ACTIONS.createKey },
  { pattern: /\b(Regenerate|Roll|Refresh) (the )?key\b/i, use: "Rotate" },
  { pattern: /\b(Disable|Deactivate) (the )?key\b/i, use: "Revoke" },
  { pattern: /\bAll keys\b/, use: PLACES.allApiKeys },
  { pattern: /:\s*by an? /, use: "“Revoked by …” (one sentence, no doubled colon)" },
];
