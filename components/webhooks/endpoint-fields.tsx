import { FormField } from "@/components/forms/form-field";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { WEBHOOK_URL_MAX } from "@/lib/webhooks/address";
import { WEBHOOK_EVENTS, WEBHOOK_EVENT_LABELS } from "@/lib/webhooks/events";
import { WEBHOOK_DESCRIPTION_MAX } from "@/lib/validation/webhook.schema";

export type EndpointValues = { url: string; description: string; events: string[] };

/** An endpoint's fields, for adding one and for changing it: its URL, what it is for, its events. */
export function EndpointFields({ idPrefix, values, errors }: { idPrefix: string; values: EndpointValues; errors?: Partial<Record<string, string>> }) {
  return (
    <>
      <FormField
        id={`${idPrefix}-url`}
        name="url"
        type="url"
        label="Endpoint URL"
        placeholder="https://hooks.example.com/keysmith"
        required
        maxLength={WEBHOOK_URL_MAX}
        defaultValue={values.url}
        error={errors?.url}
        hint="An https:// address on the public internet. Keysmith POSTs each event there as JSON."
        autoComplete="off"
        spellCheck={false}
      />
      <div className="grid gap-2">
        <Label htmlFor={`${idPrefix}-description`}>Description (optional)</Label>
        <Textarea
          id={`${idPrefix}-description`}
          name="description"
          rows={2}
          maxLength={WEBHOOK_DESCRIPTION_MAX}
          defaultValue={values.description}
          aria-invalid={errors?.description ? true : undefined}
          aria-describedby={errors?.description ? `${idPrefix}-description-error` : undefined}
          className="[overflow-wrap:anywhere]"
        />
        {errors?.description && (
          <p id={`${idPrefix}-description-error`} className="text-sm text-destructive">
            {errors.description}
          </p>
        )}
      </div>
      <fieldset className="grid gap-2" aria-describedby={errors?.events ? `${idPrefix}-events-error` : undefined} aria-invalid={errors?.events ? true : undefined}>
        <legend className="mb-1 text-sm font-medium">Events to send</legend>
        {WEBHOOK_EVENTS.map((event) => (
          <label key={event} className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="events" value={event} defaultChecked={values.events.includes(event)} className="mt-0.5 size-4 shrink-0 accent-primary" />
            <span>
              <span className="font-medium">{WEBHOOK_EVENT_LABELS[event].label}</span>{" "}
              <span className="text-muted-foreground">{WEBHOOK_EVENT_LABELS[event].description}</span>
            </span>
          </label>
        ))}
        {errors?.events && (
          <p id={`${idPrefix}-events-error`} className="text-sm text-destructive">
            {errors.events}
          </p>
        )}
      </fieldset>
    </>
  );
}
