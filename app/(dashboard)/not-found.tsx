import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";

// Inside the dashboard the frame already has the page's <main>: this one is a section of it, not
// a second main (app/not-found.tsx, for addresses outside the dashboard, brings its own).
export default function DashboardNotFound() {
  return (
    <section aria-labelledby="not-found-heading" className="flex flex-col items-center gap-4 py-16 text-center">
      <p className="text-sm font-medium text-muted-foreground">404</p>
      <h1 id="not-found-heading" className="text-2xl font-semibold">
        Page not found
      </h1>
      <p className="max-w-sm text-sm text-muted-foreground">
        It may have been deleted, or it belongs to another account. Check the address, or go back to your keys.
      </p>
      <Link href="/settings/api-keys" className={buttonVariants()}>
        Go to API Keys
      </Link>
    </section>
  );
}
