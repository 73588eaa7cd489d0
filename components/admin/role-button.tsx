"use client";

import { useTransition } from "react";
import { toast } from "sonner";
import { setUserRoleAction } from "@/app/(dashboard)/admin/actions";
import { Button } from "@/components/ui/button";

export function RoleButton({ userId, email, role }: { userId: string; email: string; role: "admin" | "member" }) {
  const [pending, startTransition] = useTransition();
  const next = role === "admin" ? "member" : "admin";
  return (
    <Button
      variant="outline"
      size="sm"
      disabled={pending}
      aria-label={`${next === "admin" ? "Make admin" : "Make member"}: ${email}`}
      onClick={() =>
        startTransition(async () => {
          const result = await setUserRoleAction({ userId, role: next });
          if (result.ok) toast.success(result.message);
          else toast.error(result.message ?? "The role could not be changed. Try again.");
        })
      }
    >
      {pending ? "Saving…" : next === "admin" ? "Make admin" : "Make member"}
    </Button>
  );
}
