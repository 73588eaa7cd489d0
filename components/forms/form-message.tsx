import type { ActionState } from "@/lib/action-state";
import { FormAlert } from "./form-alert";

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
    <FormAlert>
      {state.message}
    </FormAlert>
  );
}
