"use client";

import { useTransition } from "react";
import { toast } from "sonner";
import { endUserSessionsAction } from "@/app/(dashboard)/admin/actions";
import { Button } from "@/components/ui/button";

/** Ends every session of one user: each of their browsers is sent to the login page on its next request. */
export function EndSessionsButton({ userId, email }: { userId: string; email: string }) {
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant="outline"
      size="sm"
      disabled={pending}
      aria-label={`Sign out everywhere: ${email}`}
      onClick={() =>
        startTransition(async () => {
          const result = await endUserSessionsAction({ userId });
          if (result.ok) toast.success(result.message);
          else toast.error(result.message ?? "The sessions could not be ended. Try again.");
        })
      }
    >
      {pending ? "Signing out…" : "Sign out everywhere"}
    </Button>
  );
}
