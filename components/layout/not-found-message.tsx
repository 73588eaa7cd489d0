import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { PLACES } from "@/lib/glossary";

/** What a missing page says, inside the dashboard's frame or on its own (app/not-found.tsx). */
export function NotFoundMessage({ headingId }: { headingId?: string }) {
  return (
    <>
      <p className="text-sm font-medium text-muted-foreground">404</p>
      <h1 id={headingId} className="text-2xl font-semibold">
        Page not found
      </h1>
      <p className="max-w-sm text-sm text-muted-foreground">
        It may have been deleted, or it belongs to another account. Check the address, or go back to your keys.
      </p>
      <Link href="/settings/api-keys" className={buttonVariants()}>
        Go to {PLACES.apiKeys}
      </Link>
    </>
  );
}
