import type { ActionState } from "@/lib/action-state";

/** A form's outcome: success as a polite status, a failure that is not about one field as an alert. */
export function FormMessage({ state }: { state: ActionState<unknown> }) {
  if (!state.message) return <p role="status" className="sr-only" />;
  if (state.ok) {
    return (
      <p role="status" className="rounded-md border bg-muted/50 p-3 text-sm">
        {state.message}
      </p>
    );
  }
  if (state.fieldErrors) return <p role="status" className="sr-only" />;
  return (
    <p role="alert" className="rounded-md border border-destructive/40 bg-destructive/10 p-3 text-sm text-destructive">
      {state.message}
    </p>
  );
}
