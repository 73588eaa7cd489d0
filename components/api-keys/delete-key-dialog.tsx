"use client";

import { deleteApiKeyAction } from "@/app/(dashboard)/settings/api-keys/actions";
import { ConfirmKeyDialog } from "./confirm-key-dialog";
import type { KeyRow } from "./key-row";

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
  return (
    <ConfirmKeyDialog
      onDone={onDeleted}
      onCloseAutoFocus={onCloseAutoFocus}
      target={target}
      onClose={onClose}
      title={(key) => `Delete API key “${key.name}”?`}
      description={(key) =>
        key.status === "revoked"
          ? "The key is already revoked. Deleting it removes it from your list; its events stay in your Activity."
          : "Any app or script using this key stops working at once: its next request is refused, and the key leaves your list. This cannot be undone."
      }
      confirmLabel="Delete key"
      pendingLabel="Deleting…"
      run={deleteApiKeyAction}
      done={(key) => `“${key.name}” was deleted.`}
      failed="The key could not be deleted. Try again."
    />
  );
}
