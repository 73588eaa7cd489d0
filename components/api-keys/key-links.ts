// A key's address: the rule lives in lib/keys/paths.ts (a module with no imports, so the list's
// client bundle links with it without the status and scope rules).
export { keyPagePath } from "@/lib/keys/paths";
