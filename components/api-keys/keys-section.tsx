"use client";

import { KeyRoundIcon, PlusIcon } from "lucide-react";
import Link from "next/link";
import { useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { AttentionBanner, needsAttention } from "./attention-banner";
import { CreateKeyDialog } from "./create-key-dialog";
import { DeleteKeyDialog } from "./delete-key-dialog";
import { EditKeyDialog } from "./edit-key-dialog";
import { KeyActionsProvider, type KeyActions } from "./key-actions";
import type { KeyRow } from "./keys-table";
import { RevokeKeyDialog } from "./revoke-key-dialog";
import { RotateKeyDialog } from "./rotate-key-dialog";

/**
 * The API Keys section: intro, the attention banner, the list (or its empty state), and one
 * instance of each dialog, opened by row menus and the banner through KeyActions.
 */
export function KeysSection({
  origin,
  rows,
  now,
  maxLifetimeDays,
  children,
}: {
  origin: string;
  rows: KeyRow[];
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
  const attention = rows.filter(needsAttention);

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
          {rows.length > 0 && (
            <Button onClick={actions.create}>
              <PlusIcon aria-hidden />
              Create API Key
            </Button>
          )}
        </div>
        {attention.length > 0 && <AttentionBanner rows={attention} now={now} actions={actions} />}
        {rows.length > 0 ? (
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
            <Button onClick={actions.create}>
              <PlusIcon aria-hidden />
              Create API Key
            </Button>
          </div>
        )}
        <CreateKeyDialog origin={origin} open={createOpen} onClose={() => setCreateOpen(false)} maxLifetimeDays={maxLifetimeDays} />
        <RotateKeyDialog origin={origin} target={rotating} onClose={() => setRotating(null)} />
        <EditKeyDialog target={editing} onClose={() => setEditing(null)} maxLifetimeDays={maxLifetimeDays} />
        <RevokeKeyDialog target={revoking} onClose={() => setRevoking(null)} />
        <DeleteKeyDialog target={deleting} onClose={() => setDeleting(null)} />
      </section>
    </KeyActionsProvider>
  );
}
