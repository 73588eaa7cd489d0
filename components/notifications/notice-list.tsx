"use client";

import Link from "next/link";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/action-state";

export type NoticeView = { id: string; sentence: string; when: React.ReactNode; href: string | null; unread: boolean };

type MarkAction = (input: { ids: string[] | "all" }) => Promise<ActionState<{ changed: number }>>;

/**
 * A person's notifications, newest first: unread ones marked in words and in weight, each linking
 * to its key, with "Mark as read" for one and "Mark all as read".
 */
export function NoticeList({ notices, unread, markRead }: { notices: NoticeView[]; unread: number; markRead: MarkAction }) {
  const [pending, start] = useTransition();
  const mark = (ids: string[] | "all") =>
    start(async () => {
      const result = await markRead({ ids });
      if (result.ok) toast.success(result.message ?? "Done.");
      else toast.error(result.message ?? "That did not work. Reload the page and try again.");
    });
  return (
    <div className="grid gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-muted-foreground" aria-live="polite">
          {unread === 0 ? "Nothing unread." : unread === 1 ? "1 unread notification." : `${unread} unread notifications.`}
        </p>
        <Button type="button" variant="outline" size="sm" disabled={pending || unread === 0} onClick={() => mark("all")}>
          Mark all as read
        </Button>
      </div>
      <ol aria-label="Notifications" className="grid gap-2">
        {notices.map((n) => (
          <li key={n.id} data-unread={n.unread} className={`flex flex-wrap items-start justify-between gap-2 rounded-lg border p-3 text-sm ${n.unread ? "bg-muted/50" : ""}`}>
            <div className="grid min-w-0 gap-1">
              <span className={`[overflow-wrap:anywhere] ${n.unread ? "font-medium" : ""}`}>
                {n.unread && <span className="sr-only">Unread: </span>}
                {n.href ? (
                  <Link href={n.href} className="underline-offset-4 hover:underline">
                    {n.sentence}
                  </Link>
                ) : (
                  n.sentence
                )}
              </span>
              <span className="text-xs text-muted-foreground">{n.when}</span>
            </div>
            {n.unread && (
              <Button type="button" variant="ghost" size="sm" disabled={pending} onClick={() => mark([n.id])} aria-label={`Mark as read: ${n.sentence}`}>
                Mark as read
              </Button>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
