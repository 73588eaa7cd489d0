// The one file a deployment edits to add its own resources and permissions. Each resource gets
// the levels it supports ("write" always implies "read"); special scopes are single permissions
// outside the None/Read/Write grid. The dashboard's Restricted grid, the API's scope checks,
// the OpenAPI document and all validation are built from these two lists.
export const SCOPE_CATALOGUE = [
  {
    id: "keys",
    label: "API keys",
    description: "The account's API keys",
    levels: ["read", "write"],
    levelDescriptions: { read: "List keys and read their details and status", write: "Create, rename, re-scope, revoke and delete keys" },
  },
  {
    id: "profile",
    label: "Profile",
    description: "The account's name and email",
    levels: ["read", "write"],
    levelDescriptions: { read: "Read the account's name, email and role", write: "Change the account's display name" },
  },
  {
    id: "usage",
    label: "Usage",
    description: "Request counts and when each key was last used",
    levels: ["read"],
    levelDescriptions: { read: "Read request counts per key and day, and when each key was last used" },
  },
] as const satisfies readonly ScopeResource[];

export const SPECIAL_SCOPES = [
  {
    scope: "keys:verify",
    label: "Verify keys",
    description: "Let another service check the keys it is handed",
    endpoint: "POST /api/v1/keys/verify",
  },
  {
    scope: "keys:rotate",
    label: "Rotate keys",
    description: "Give keys it may manage a new secret, itself included",
    endpoint: "POST /api/v1/keys/{id}/rotate",
  },
] as const satisfies readonly SpecialScope[];

export type ScopeResource = {
  id: string;
  label: string;
  /** What the resource is, shown in the Restricted grid. */
  description: string;
  levels: readonly ("read" | "write")[];
  /** What each level allows, in the API reference. */
  levelDescriptions: { read: string; write?: string };
};

/** A single permission; `endpoint` is what it unlocks, for the API reference (not the dashboard). */
export type SpecialScope = { scope: `${string}:${string}`; label: string; description: string; endpoint: string };
