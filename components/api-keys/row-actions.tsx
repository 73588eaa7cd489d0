"use client";

import { BanIcon, EllipsisIcon, EyeIcon, PencilIcon, RefreshCwIcon, Trash2Icon } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { preloadKeyDialogs } from "./dialog-loaders";
import { useKeyActions } from "./key-actions";
import { keyPagePath } from "./key-links";
import type { KeyRow } from "./key-row";
import { useKeyScope } from "./key-scope";

export function RowActions({ row }: { row: KeyRow }) {
  const actions = useKeyActions();
  const { teamSlug, canManage } = useKeyScope();
  // A team viewer gets no menu: its name links to the key's page, and every other item changes the key.
  if (!canManage) return null;
  const live = row.status !== "revoked" && row.status !== "expired";
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={`Actions for ${row.name}`} onPointerEnter={preloadKeyDialogs} onFocus={preloadKeyDialogs}>
          <EllipsisIcon aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuItem asChild>
          <Link href={keyPagePath(row.id, teamSlug)}>
            <EyeIcon aria-hidden /> View details
          </Link>
        </DropdownMenuItem>
        {live && (
          <>
            <DropdownMenuItem onSelect={() => actions.edit(row)}>
              <PencilIcon aria-hidden /> Edit
            </DropdownMenuItem>
            <DropdownMenuItem onSelect={() => actions.rotate(row)}>
              <RefreshCwIcon aria-hidden /> Rotate key
            </DropdownMenuItem>
          </>
        )}
        <DropdownMenuSeparator />
        {row.status !== "revoked" && (
          <DropdownMenuItem variant="destructive" onSelect={() => actions.revoke(row)}>
            <BanIcon aria-hidden /> Revoke
          </DropdownMenuItem>
        )}
        <DropdownMenuItem variant="destructive" onSelect={() => actions.remove(row)}>
          <Trash2Icon aria-hidden /> Delete
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
