"use client";

import { Button } from "@/components/ui/button";

// Shown when a page fails to render (for example while the database is unreachable). The cause
// is in the server log under the digest; nothing internal is shown here.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-4 p-6 text-center">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="max-w-sm text-sm text-muted-foreground">
        The page could not be loaded. This is usually brief: try again in a few seconds. If it keeps happening, tell your
        administrator{error.digest ? ` and quote reference ${error.digest}` : ""}.
      </p>
      <Button onClick={reset}>Try again</Button>
    </main>
  );
}
