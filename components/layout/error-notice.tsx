"use client";

import { useTransition } from "react";
import { Button } from "@/components/ui/button";

/**
 * What a person sees when a page could not be rendered: a plain sentence, the reference an
 * operator can find in the server log, and a retry that fetches the page again from the server
 * (Next's `retry`, not `reset`, which would only re-render what already failed).
 */
export function ErrorNotice({ digest, retry }: { digest?: string; retry: () => void }) {
  const [pending, startTransition] = useTransition();
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-4 p-6 text-center">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="max-w-sm text-sm text-muted-foreground">
        The page could not be loaded. This is usually brief: try again in a few seconds. If it keeps happening, tell your
        administrator{digest ? ` and quote reference ${digest}` : ""}.
      </p>
      <Button onClick={() => startTransition(retry)} disabled={pending} aria-busy={pending}>
        {pending ? "Trying again…" : "Try again"}
      </Button>
    </main>
  );
}
