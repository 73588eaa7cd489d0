"use client";

import { KeyRoundIcon, PlusIcon } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { CreateKeyDialog } from "./create-key-dialog";

/** The API Keys section: intro, the one Create dialog, and the list (or its empty state). */
export function KeysSection({ origin, hasKeys, children }: { origin: string; hasKeys: boolean; children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
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
        {hasKeys && (
          <Button onClick={() => setOpen(true)}>
            <PlusIcon aria-hidden />
            Create API Key
          </Button>
        )}
      </div>
      {hasKeys ? (
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
          <Button onClick={() => setOpen(true)}>
            <PlusIcon aria-hidden />
            Create API Key
          </Button>
        </div>
      )}
      <CreateKeyDialog origin={origin} open={open} setOpen={setOpen} />
    </section>
  );
}
