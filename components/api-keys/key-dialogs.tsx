"use client";

import dynamic from "next/dynamic";
import { useMemo, useState } from "react";
import { useReturnFocus } from "@/components/ui/use-return-focus";
import { dialogLoaders } from "./dialog-loaders";
import { KeyActionsProvider, type KeyActions } from "./key-actions";
import type { KeyRow } from "./key-row";
import { KeyScopeProvider, type KeyScope } from "./key-scope";

// The dialogs are loaded the first time one is opened (see dialog-loaders.ts) and stay
// mounted after that, so later closes animate.
const CreateKeyDialog = dynamic(() => dialogLoaders.create().then((m) => m.CreateKeyDialog), { ssr: false });
const RotateKeyDialog = dynamic(() => dialogLoaders.rotate().then((m) => m.RotateKeyDialog), { ssr: false });
const EditKeyDialog = dynamic(() => dialogLoaders.edit().then((m) => m.EditKeyDialog), { ssr: false });
const RevokeKeyDialog = dynamic(() => dialogLoaders.revoke().then((m) => m.RevokeKeyDialog), { ssr: false });
const DeleteKeyDialog = dynamic(() => dialogLoaders.remove().then((m) => m.DeleteKeyDialog), { ssr: false });

const PERSONAL: KeyScope = { canManage: true };

/** True from the first render where `value` is truthy on. */
function useOnceTrue(value: unknown): boolean {
  const [seen, setSeen] = useState(false);
  if (value && !seen) setSeen(true);
  return seen || !!value;
}

/**
 * One instance of each key dialog, and the KeyActions that open them, for everything inside:
 * the API Keys list (row menus, the attention banner) and a key's own page share them.
 * `onDeleted` runs after a delete succeeds (the key's page then goes back to the list).
 */
export function KeyDialogs({
  origin,
  maxLifetimeDays,
  onDeleted,
  scope = PERSONAL,
  children,
}: {
  origin: string;
  maxLifetimeDays: number | null;
  onDeleted?: (row: KeyRow) => void;
  /** Whose keys (a team's: its slug) and whether the caller may change them. */
  scope?: KeyScope;
  children: React.ReactNode;
}) {
  const [createOpen, setCreateOpen] = useState(false);
  const [rotating, setRotating] = useState<KeyRow | null>(null);
  const [editing, setEditing] = useState<{ row: KeyRow; extend: boolean } | null>(null);
  const [revoking, setRevoking] = useState<KeyRow | null>(null);
  const [deleting, setDeleting] = useState<KeyRow | null>(null);
  // Each dialog is opened from state, not by a trigger: focus goes back to the opener on close.
  const { remember, onCloseAutoFocus } = useReturnFocus();
  const actions = useMemo<KeyActions>(() => {
    const opening =
      <A extends unknown[]>(open: (...args: A) => void) =>
      (...args: A) => {
        remember();
        open(...args);
      };
    return {
      create: opening(() => setCreateOpen(true)),
      rotate: opening(setRotating),
      edit: opening((row: KeyRow) => setEditing({ row, extend: false })),
      extend: opening((row: KeyRow) => setEditing({ row, extend: true })),
      revoke: opening(setRevoking),
      remove: opening(setDeleting),
    };
  }, [remember]);
  const focus = { onCloseAutoFocus };
  const createUsed = useOnceTrue(createOpen);
  const rotateUsed = useOnceTrue(rotating);
  const editUsed = useOnceTrue(editing);
  const revokeUsed = useOnceTrue(revoking);
  const deleteUsed = useOnceTrue(deleting);

  return (
    <KeyScopeProvider value={scope}>
    <KeyActionsProvider value={actions}>
      {children}
      {createUsed && (
        <CreateKeyDialog origin={origin} open={createOpen} onClose={() => setCreateOpen(false)} maxLifetimeDays={maxLifetimeDays} {...focus} />
      )}
      {rotateUsed && <RotateKeyDialog origin={origin} target={rotating} onClose={() => setRotating(null)} {...focus} />}
      {editUsed && (
        <EditKeyDialog
          target={editing?.row ?? null}
          extend={editing?.extend}
          onClose={() => setEditing(null)}
          maxLifetimeDays={maxLifetimeDays}
          {...focus}
        />
      )}
      {revokeUsed && <RevokeKeyDialog target={revoking} onClose={() => setRevoking(null)} {...focus} />}
      {deleteUsed && <DeleteKeyDialog target={deleting} onClose={() => setDeleting(null)} onDeleted={onDeleted} {...focus} />}
    </KeyActionsProvider>
    </KeyScopeProvider>
  );
}
