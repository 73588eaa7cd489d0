"use client";

import { ConfirmKeyDialog } from "./confirm-key-dialog";
import type { KeyRow } from "./key-row";
import { useKeyScope } from "./key-scope";
import { useKeyServerActions } from "./key-server-actions";

/** Confirms, then deletes: the key leaves the list (its row and events stay for the audit trail). */
export function DeleteKeyDialog({
  target,
  onClose,
  onDeleted,
  onCloseAutoFocus,
}: {
  target: KeyRow | null;
  onClose: () => void;
  onDeleted?: (key: KeyRow) => void;
  onCloseAutoFocus?: (event: Event) => void;
}) {
  const server = useKeyServerActions();
  const { teamSlug } = useKeyScope();
  return (
    <ConfirmKeyDialog
      onDone={onDeleted}
      onCloseAutoFocus={onCloseAutoFocus}
      target={target}
      onClose={onClose}
      title={(key) => `Delete API key “${key.name}”?`}
      description={(key) =>
        key.status === "revoked"
          ? `The key is already revoked. Deleting it removes it from the list; its events stay in ${teamSlug === undefined ? "your Activity" : "the audit log"}.`
          : "Any app or script using this key stops working at once: its next request is refused, and the key leaves the list. This cannot be undone."
      }
      confirmLabel="Delete key"
      pendingLabel="Deleting…"
      run={(id) => server.remove(id)}
      done={(key) => `“${key.name}” was deleted.`}
      failed="The key could not be deleted. Try again."
    />
  );
}
