"use client";

import { createContext, useContext } from "react";
import type { KeyRow } from "./key-row";

export type KeyActions = {
  create: () => void;
  rotate: (row: KeyRow) => void;
  edit: (row: KeyRow) => void;
  /** The edit dialog with a new expiry already chosen, so saving extends the key. */
  extend: (row: KeyRow) => void;
  revoke: (row: KeyRow) => void;
  remove: (row: KeyRow) => void;
};

const Ctx = createContext<KeyActions | null>(null);
export const KeyActionsProvider = Ctx.Provider;

/** Row menus and the attention banner open the section's single dialogs through this. */
export function useKeyActions(): KeyActions {
  const actions = useContext(Ctx);
  if (!actions) throw new Error("useKeyActions outside KeysSection");
  return actions;
}
