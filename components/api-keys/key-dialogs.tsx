"use client";

import dynamic from "next/dynamic";
import { useMemo, useState } from "react";
import { dialogLoaders } from "./dialog-loaders";
import { KeyActionsProvider, type KeyActions } from "./key-actions";
import type { KeyRow } from "./key-row";

// The dialogs are loaded the first time one is opened (see dialog-loaders.ts) and stay
// mounted after that, so later closes animate.
const CreateKeyDialog = dynamic(() => dialogLoaders.create().then((m) => m.CreateKeyDialog), { ssr: false });
const RotateKeyDialog = dynamic(() => dialogLoaders.rotate().then((m) => m.RotateKeyDialog), { ssr: false });
const EditKeyDialog = dynamic(() => dialogLoaders.edit().then((m) => m.EditKeyDialog), { ssr: false });
const RevokeKeyDialog = dynamic(() => dialogLoaders.revoke().then((m) => m.RevokeKeyDialog), { ssr: false });
const DeleteKeyDialog = dynamic(() => dialogLoaders.remove().then((m) => m.DeleteKeyDialog), { ssr: false });

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
  children,
}: {
  origin: string;
  maxLifetimeDays: number | null;
  onDeleted?: (row: KeyRow) => void;
  children: React.ReactNode;
}) {
  const [createOpen, setCreateOpen] = useState(false);
  const [rotating, setRotating] = useState<KeyRow | null>(null);
  const [editing, setEditing] = useState<{ row: KeyRow; extend: boolean } | null>(null);
  const [revoking, setRevoking] = useState<KeyRow | null>(null);
  const [deleting, setDeleting] = useState<KeyRow | null>(null);
  const actions = useMemo<KeyActions>(
    () => ({
      create: () => setCreateOpen(true),
      rotate: setRotating,
      edit: (row) => setEditing({ row, extend: false }),
      extend: (row) => setEditing({ row, extend: true }),
      revoke: setRevoking,
      remove: setDeleting,
    }),
    [],
  );
  const createUsed = useOnceTrue(createOpen);
  const rotateUsed = useOnceTrue(rotating);
  const editUsed = useOnceTrue(editing);
  const revokeUsed = useOnceTrue(revoking);
  const deleteUsed = useOnceTrue(deleting);

  return (
    <KeyActionsProvider value={actions}>
      {children}
      {createUsed && <CreateKeyDialog origin={origin} open={createOpen} onClose={() => setCreateOpen(false)} maxLifetimeDays={maxLifetimeDays} />}
      {rotateUsed && <RotateKeyDialog origin={origin} target={rotating} onClose={() => setRotating(null)} />}
      {editUsed && (
        <EditKeyDialog target={editing?.row ?? null} extend={editing?.extend} onClose={() => setEditing(null)} maxLifetimeDays={maxLifetimeDays} />
      )}
      {revokeUsed && <RevokeKeyDialog target={revoking} onClose={() => setRevoking(null)} />}
      {deleteUsed && <DeleteKeyDialog target={deleting} onClose={() => setDeleting(null)} onDeleted={onDeleted} />}
    </KeyActionsProvider>
  );
}
