// The one file a deployment edits to add its own resources. Each resource gets the levels it
// supports; "write" always implies "read". The dashboard's Restricted grid, the API's scope
// checks and validation are all built from this list.
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

export type ScopeResource = {
  id: string;
  label: string;
  description: string;
  levels: readonly ("read" | "write")[];
};
