"use client";

import { KeyRoundIcon, PlusIcon } from "lucide-react";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { AttentionBanner } from "./attention-banner";
import { dialogLoaders, preloadKeyDialogs } from "./dialog-loaders";
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
 * The API Keys section: intro, the attention banner, the list (or its empty state), and one
 * instance of each dialog, opened by row menus and the banner through KeyActions.
 */
export function KeysSection({
  origin,
  attention,
  attentionTotal,
  total,
  now,
  maxLifetimeDays,
  children,
}: {
  origin: string;
  /** The keys needing attention (expired, expiring within 7 days, rotation due), from all pages. */
  attention: KeyRow[];
  /** How many keys need attention in all (`attention` may list only the newest). */
  attentionTotal: number;
  /** How many keys the user has in all (the list shows one page of them). */
  total: number;
  now: Date;
  maxLifetimeDays: number | null;
  children: React.ReactNode;
}) {
  const [createOpen, setCreateOpen] = useState(false);
  const [rotating, setRotating] = useState<KeyRow | null>(null);
  const [editing, setEditing] = useState<KeyRow | null>(null);
  const [revoking, setRevoking] = useState<KeyRow | null>(null);
  const [deleting, setDeleting] = useState<KeyRow | null>(null);
  const actions = useMemo<KeyActions>(
    () => ({ create: () => setCreateOpen(true), rotate: setRotating, edit: setEditing, revoke: setRevoking, remove: setDeleting }),
    [],
  );
  const createUsed = useOnceTrue(createOpen);
  const rotateUsed = useOnceTrue(rotating);
  const editUsed = useOnceTrue(editing);
  const revokeUsed = useOnceTrue(revoking);
  const deleteUsed = useOnceTrue(deleting);

  return (
    <KeyActionsProvider value={actions}>
      <section aria-labelledby="api-keys-heading" className="grid gap-6">
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="max-w-2xl">
            <h2 id="api-keys-heading" className="text-lg font-semibold">
              API Keys
            </h2>
            <p className="mt-1 text-sm text-muted-foreground">
              Keys let your apps and scripts call the API as you. Send one in the{" "}
              <code className="font-mono text-xs">Authorization: Bearer</code> header. Give each key only the access it
              needs, and set an expiry.{" "}
              <Link href="/docs/api" className="font-medium text-foreground underline underline-offset-4">
                API reference
              </Link>
            </p>
          </div>
          {total > 0 && (
            <Button onClick={actions.create} onPointerEnter={preloadKeyDialogs} onFocus={preloadKeyDialogs}>
              <PlusIcon aria-hidden />
              Create API Key
            </Button>
          )}
        </div>
        {attention.length > 0 && <AttentionBanner rows={attention} total={Math.max(attentionTotal, attention.length)} now={now} actions={actions} />}
        {total > 0 ? (
          children
        ) : (
          <div className="flex flex-col items-center gap-3 rounded-lg border border-dashed p-10 text-center">
            <span className="flex size-12 items-center justify-center rounded-full bg-muted">
              <KeyRoundIcon className="size-6 text-muted-foreground" aria-hidden />
            </span>
            <h3 className="font-medium">No API keys yet</h3>
            <p className="max-w-sm text-sm text-muted-foreground">
              Create your first key to call the API from a script, a CI job or another service.
            </p>
            <Button onClick={actions.create} onPointerEnter={preloadKeyDialogs} onFocus={preloadKeyDialogs}>
              <PlusIcon aria-hidden />
              Create API Key
            </Button>
          </div>
        )}
        {createUsed && (
          <CreateKeyDialog origin={origin} open={createOpen} onClose={() => setCreateOpen(false)} maxLifetimeDays={maxLifetimeDays} />
        )}
        {rotateUsed && <RotateKeyDialog origin={origin} target={rotating} onClose={() => setRotating(null)} />}
        {editUsed && <EditKeyDialog target={editing} onClose={() => setEditing(null)} maxLifetimeDays={maxLifetimeDays} />}
        {revokeUsed && <RevokeKeyDialog target={revoking} onClose={() => setRevoking(null)} />}
        {deleteUsed && <DeleteKeyDialog target={deleting} onClose={() => setDeleting(null)} />}
      </section>
    </KeyActionsProvider>
  );
}
