import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-4 p-6 text-center">
      <p className="text-sm font-medium text-muted-foreground">404</p>
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="max-w-sm text-sm text-muted-foreground">
        It may have been deleted, or it belongs to another account. Check the address, or go back to your keys.
      </p>
      <Link href="/settings/api-keys" className={buttonVariants()}>
        Go to API Keys
      </Link>
    </main>
  );
}
