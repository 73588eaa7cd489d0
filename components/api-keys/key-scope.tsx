"use client";

import { createContext, useContext } from "react";
import type { Access } from "@/lib/scopes";

/**
 * Whose keys a list and its dialogs show: the signed-in person's (no `teamSlug`), or a team's.
 * `canManage` only hides controls the caller's role does not allow (a team viewer's); the key
 * commands decide, whatever the page shows.
 */
export type KeyScope = {
  teamSlug?: string;
  canManage: boolean;
  /**
   * The team's approval threshold, when it applies to the viewer (a developer): keys with this
   * access or broader are requested, not created (lib/teams/policy.ts decides on the server).
   */
  approvalFrom?: Access | null;
};

const Ctx = createContext<KeyScope>({ canManage: true });
export const KeyScopeProvider = Ctx.Provider;
export const useKeyScope = (): KeyScope => useContext(Ctx);
