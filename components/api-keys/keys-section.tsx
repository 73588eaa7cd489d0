"use client";

import { KeyRoundIcon, PlusIcon } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { AttentionBanner, type AttentionRow } from "./attention-banner";
import { preloadKeyDialogs } from "./dialog-loaders";
import { useKeyActions } from "./key-actions";
import { KeyDialogs } from "./key-dialogs";
import { useKeyScope, type KeyScope } from "./key-scope";
import { ACTIONS, PLACES } from "@/lib/glossary";

/**
 * The API Keys section: intro, the attention banner, the list (or its empty state), and one
 * instance of each dialog (KeyDialogs), opened by row menus and the banner through KeyActions.
 */
export function KeysSection({
  origin,
  maxLifetimeDays,
  scope,
  ...rest
}: SectionProps & { origin: string; maxLifetimeDays: number | null; scope?: KeyScope }) {
  return (
    <KeyDialogs origin={origin} maxLifetimeDays={maxLifetimeDays} scope={scope}>
      <SectionBody {...rest} />
    </KeyDialogs>
  );
}

type SectionProps = {
  /** The keys needing attention (recently expired, expiring soon, rotation due), from all pages, most urgent first. */
  attention: AttentionRow[];
  /** How many keys need attention in all (`attention` may list only the first of them). */
  attentionTotal: number;
  /** How many keys the user has in all (the list shows one page of them). */
  total: number;
  children: React.ReactNode;
};

function SectionBody({ attention, attentionTotal, total, children }: SectionProps) {
  const actions = useKeyActions();
  const { teamSlug, canManage } = useKeyScope();
  const team = teamSlug !== undefined;
  return (
      <section aria-labelledby="api-keys-heading" className="grid gap-6">
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="max-w-2xl">
            <h2 id="api-keys-heading" className="text-lg font-semibold">
              {PLACES.apiKeys}
            </h2>
            <p className="mt-1 text-sm text-muted-foreground">
              {team
                ? "A team's keys belong to the team, not to the member who created them: they keep working when that member leaves, and apps using one act as the team. "
                : "Keys let your apps and scripts call the API as you. "}
              Send one in the{" "}
              <code className="font-mono text-xs">Authorization: Bearer</code> header. Give each key only the access it
              needs, and set an expiry.{" "}
              <Link href="/docs/api" className="font-medium text-foreground underline underline-offset-4">
                API reference
              </Link>
            </p>
          </div>
          {total > 0 && canManage && (
            <Button onClick={actions.create} onPointerEnter={preloadKeyDialogs} onFocus={preloadKeyDialogs}>
              <PlusIcon aria-hidden />
              {ACTIONS.createKey}
            </Button>
          )}
        </div>
        {attention.length > 0 && <AttentionBanner rows={attention} total={Math.max(attentionTotal, attention.length)} actions={canManage ? actions : null} />}
        {total > 0 ? (
          children
        ) : (
          <div className="flex flex-col items-center gap-3 rounded-lg border border-dashed p-10 text-center">
            <span className="flex size-12 items-center justify-center rounded-full bg-muted">
              <KeyRoundIcon className="size-6 text-muted-foreground" aria-hidden />
            </span>
            <h3 className="font-medium">No API keys yet</h3>
            <p className="max-w-sm text-sm text-muted-foreground">
              {!canManage
                ? "The team has no keys. Its developers, admins and owners can create them; ask an admin if you need one."
                : team
                  ? "Create the team's first key for a script, a CI job or another service that should keep working whoever leaves the team."
                  : "Create your first key to call the API from a script, a CI job or another service."}
            </p>
            {canManage && (
              <Button onClick={actions.create} onPointerEnter={preloadKeyDialogs} onFocus={preloadKeyDialogs}>
                <PlusIcon aria-hidden />
                {ACTIONS.createKey}
              </Button>
            )}
          </div>
        )}
      </section>
  );
}
