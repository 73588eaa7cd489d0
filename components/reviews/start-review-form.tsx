"use client";

import { useActionState, useRef, useState } from "react";
import { FormField } from "@/components/forms/form-field";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import type { ActionState } from "@/lib/action-state";
import { dayIn } from "@/lib/calendar";
import { REVIEW_DUE_MAX_DAYS, REVIEW_NAME_MAX, REVIEW_ON_DUE, REVIEW_ON_DUE_LABELS } from "@/lib/reviews/rules";
import { DAY_MS } from "@/lib/time";
import { runtimeTimeZone } from "@/lib/time-zone";

export type StartReviewState = ActionState<{ values?: Record<string, string>; reviewId?: string }>;

/**
 * Starts an access review: its name, its due date (a day on the starter's calendar), what happens
 * to keys nobody confirms, and which keys (the All API keys list's filters; none: every usable key).
 */
export function StartReviewForm({
  action: start,
  scopes,
  team,
}: {
  action: (state: StartReviewState, form: FormData) => Promise<StartReviewState>;
  scopes: string[];
  /** A team's review: its keys only, so no owner or team to choose. */
  team?: { name: string };
}) {
  const [state, action, pending] = useActionState(start, { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  const [now] = useState(() => Date.now());
  const [timeZone] = useState(runtimeTimeZone);
  const values = state.ok ? {} : (state.data?.values ?? {});
  const errors = state.fieldErrors;
  return (
    <form ref={form} action={action} noValidate aria-labelledby="start-review-heading" className="grid gap-4 rounded-lg border p-4">
      <div>
        <h3 id="start-review-heading" className="font-medium">
          Start a review
        </h3>
        <p className="text-sm text-muted-foreground">
          Each key&apos;s owner (a team key: the team&apos;s owners and admins) is asked, in the app and by mail, to confirm it is still needed or revoke it by the due
          date.
        </p>
      </div>
      <FormMessage state={state} />
      <FormField id="review-name" name="name" label="Name" required maxLength={REVIEW_NAME_MAX} placeholder="Q4 production keys" defaultValue={values.name} error={errors?.name} />
      <div className="grid gap-2">
        <Label htmlFor="review-due">Due date</Label>
        <Input
          id="review-due"
          name="dueDate"
          type="date"
          required
          min={dayIn(now + DAY_MS, timeZone)}
          max={dayIn(now + REVIEW_DUE_MAX_DAYS * DAY_MS, timeZone)}
          defaultValue={values.dueDate ?? dayIn(now + 14 * DAY_MS, timeZone)}
          aria-invalid={errors?.dueDate ? true : undefined}
          aria-describedby={errors?.dueDate ? "review-due-error" : "review-due-hint"}
        />
        <input type="hidden" name="timeZone" value={timeZone} />
        {errors?.dueDate ? (
          <p id="review-due-error" className="text-sm text-destructive">
            {errors.dueDate}
          </p>
        ) : (
          <p id="review-due-hint" className="text-xs text-muted-foreground">
            Answers are taken until the end of that day ({timeZone}).
          </p>
        )}
      </div>
      <fieldset className="grid gap-2" aria-describedby={errors?.onDue ? "review-on-due-error" : undefined}>
        <legend className="mb-1 text-sm font-medium">At the due date</legend>
        {REVIEW_ON_DUE.map((choice) => (
          <label key={choice} className="flex items-center gap-2 text-sm">
            <input type="radio" name="onDue" value={choice} defaultChecked={(values.onDue ?? "flag") === choice} className="size-4 accent-primary" />
            {REVIEW_ON_DUE_LABELS[choice]}
          </label>
        ))}
        {errors?.onDue && (
          <p id="review-on-due-error" className="text-sm text-destructive">
            {errors.onDue}
          </p>
        )}
      </fieldset>
      <fieldset className="grid gap-3 sm:grid-cols-2">
        <legend className="mb-1 text-sm font-medium">{team ? `Which of the team's keys (every usable one when left as it is)` : "Which keys (every usable key when left empty)"}</legend>
        {!team && (
          <>
            <FormField id="review-owner" name="owner" type="email" label="Owner's email" maxLength={254} defaultValue={values.owner} autoComplete="off" />
            <FormField id="review-team" name="team" label="Team address" maxLength={40} placeholder="platform" defaultValue={values.team} autoComplete="off" />
          </>
        )}
        <div className="grid gap-2">
          <Label htmlFor="review-scope">With the scope</Label>
          <NativeSelect id="review-scope" name="scope" defaultValue={values.scope ?? ""}>
            <option value="">Any scope</option>
            {scopes.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="grid gap-2">
          <Label htmlFor="review-usage">Use</Label>
          <NativeSelect id="review-usage" name="usage" defaultValue={values.usage ?? ""}>
            <option value="">Any</option>
            <option value="never">Never used</option>
            <option value="stale">Not used for 90 days</option>
          </NativeSelect>
        </div>
      </fieldset>
      <div>
        <SubmitButton pending={pending} pendingLabel="Starting…">
          Start review
        </SubmitButton>
      </div>
    </form>
  );
}
