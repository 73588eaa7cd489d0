"use client";

import { ConfirmKeyDialog } from "./confirm-key-dialog";
import type { KeyRow } from "./key-row";
import { useKeyServerActions } from "./key-server-actions";

/** Confirms, then revokes: unlike Delete, the key stays in the list (marked Revoked) with its history. */
export function RevokeKeyDialog({ target, onClose, onCloseAutoFocus }: { target: KeyRow | null; onClose: () => void; onCloseAutoFocus?: (event: Event) => void }) {
  const server = useKeyServerActions();
  return (
    <ConfirmKeyDialog
      onCloseAutoFocus={onCloseAutoFocus}
      target={target}
      onClose={onClose}
      title={(key) => `Revoke API key “${key.name}”?`}
      description={() =>
        "Any app or script using this key stops working at once: its next request is refused. The key stays in the list, " +
        "marked Revoked, so you can still see its details; delete it later to remove it. This cannot be undone."
      }
      confirmLabel="Revoke key"
      pendingLabel="Revoking…"
      run={(id) => server.revoke(id)}
      done={(key) => `“${key.name}” was revoked.`}
      failed="The key could not be revoked. Try again."
    />
  );
}
