"use client";

import { Loader2Icon } from "lucide-react";
import { Button } from "@/components/ui/button";

export function SubmitButton({
  pending,
  pendingLabel,
  children,
  ...props
}: React.ComponentProps<typeof Button> & { pending: boolean; pendingLabel: string }) {
  return (
    <Button type="submit" disabled={pending} aria-disabled={pending} {...props}>
      {pending && <Loader2Icon className="animate-spin" aria-hidden />}
      {pending ? pendingLabel : children}
      <span role="status" className="sr-only">
        {pending ? pendingLabel : ""}
      </span>
    </Button>
  );
}
