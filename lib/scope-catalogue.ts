// The one file a deployment edits to add its own resources and permissions. Each resource gets
// the levels it supports ("write" always implies "read"); special scopes are single permissions
// outside the None/Read/Write grid. The dashboard's Restricted grid, the API's scope checks,
// the OpenAPI document and all validation are built from these two lists.
export const SCOPE_CATALOGUE = [
  {
    id: "keys",
    label: "API keys",
    description: "List, create, change and revoke API keys",
    levels: ["read", "write"],
  },
  {
    id: "profile",
    label: "Profile",
    description: "Read and update the account's name and email",
    levels: ["read", "write"],
  },
  {
    id: "usage",
    label: "Usage",
    description: "Read request counts and last-used information",
    levels: ["read"],
  },
] as const satisfies readonly ScopeResource[];

export const SPECIAL_SCOPES = [
  {
    scope: "keys:verify",
    label: "Verify keys",
    description: "Let another service check keys through POST /api/v1/keys/verify",
  },
  {
    scope: "keys:rotate",
    label: "Rotate keys",
    description: "Rotate keys it may manage, itself included (used by npm run rotate-key)",
  },
] as const satisfies readonly SpecialScope[];

export type ScopeResource = {
  id: string;
  label: string;
  description: string;
  levels: readonly ("read" | "write")[];
};

export type SpecialScope = { scope: `${string}:${string}`; label: string; description: string };
