"use client";

import { BanIcon, PencilIcon, RefreshCwIcon, Trash2Icon } from "lucide-react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { preloadKeyDialogs } from "./dialog-loaders";
import { useKeyActions } from "./key-actions";
import { KeyDialogs } from "./key-dialogs";
import type { KeyRow } from "./key-row";
import type { KeyScope } from "./key-scope";

/**
 * The key's own page: the same actions as its row menu in the list, through the same dialogs.
 * After a delete there is nothing left to show, so it goes back to the list.
 */
export function KeyPageActions({
  row,
  origin,
  maxLifetimeDays,
  list,
  scope,
}: {
  row: KeyRow;
  origin: string;
  maxLifetimeDays: number | null;
  /** The key's list (a person's, or a team's), where the page goes once the key is deleted. */
  list: string;
  /** A team's key: the dialogs call the team's actions. */
  scope?: KeyScope;
}) {
  const router = useRouter();
  return (
    <KeyDialogs origin={origin} maxLifetimeDays={maxLifetimeDays} scope={scope} onDeleted={() => router.replace(list)}>
      <Buttons row={row} />
    </KeyDialogs>
  );
}

function Buttons({ row }: { row: KeyRow }) {
  const actions = useKeyActions();
  const live = row.status !== "revoked" && row.status !== "expired";
  const preload = { onPointerEnter: preloadKeyDialogs, onFocus: preloadKeyDialogs };
  return (
    <div role="group" aria-label="Key actions" className="flex flex-wrap gap-2">
      {live && (
        <>
          <Button variant="outline" size="sm" onClick={() => actions.edit(row)} {...preload}>
            <PencilIcon aria-hidden /> Edit
          </Button>
          <Button variant="outline" size="sm" onClick={() => actions.rotate(row)} {...preload}>
            <RefreshCwIcon aria-hidden /> Rotate
          </Button>
        </>
      )}
      {row.status !== "revoked" && (
        <Button variant="outline" size="sm" className="text-destructive" onClick={() => actions.revoke(row)} {...preload}>
          <BanIcon aria-hidden /> Revoke
        </Button>
      )}
      <Button variant="outline" size="sm" className="text-destructive" onClick={() => actions.remove(row)} {...preload}>
        <Trash2Icon aria-hidden /> Delete
      </Button>
    </div>
  );
}
