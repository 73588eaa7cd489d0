"use client";

import { Loader2Icon } from "lucide-react";
import { Button } from "@/components/ui/button";

export function SubmitButton({
  pending,
  pendingLabel,
  children,
  disabled,
  ...props
}: React.ComponentProps<typeof Button> & { pending: boolean; pendingLabel: string }) {
  return (
    <Button type="submit" {...props} disabled={pending || disabled} aria-disabled={pending || disabled}>
      {pending && <Loader2Icon className="animate-spin" aria-hidden />}
      {pending ? pendingLabel : children}
      <span role="status" className="sr-only">
        {pending ? pendingLabel : ""}
      </span>
    </Button>
  );
}
