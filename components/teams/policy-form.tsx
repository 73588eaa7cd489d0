"use client";

import { startTransition, useActionState, useRef, useState } from "react";
import { changeTeamPolicyAction } from "@/app/(dashboard)/t/[slug]/settings/policy/actions";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { ALL_SCOPES, RESOURCES, SPECIALS, type Access } from "@/lib/scopes";
import { ACCESS_WORDS, TEAM_LIFETIME_MAX, TEAM_LIFETIME_MIN } from "@/lib/teams/access";
import type { TeamPolicy } from "@/lib/teams/policy";

/** What a scope is called in the dashboard: "API keys: write", "Verify keys". */
export function scopeLabel(scope: string): string {
  const special = SPECIALS.find((s) => s.scope === scope);
  if (special) return special.label;
  const [id, level] = scope.split(":");
  const resource = RESOURCES.find((r) => r.id === id);
  return resource ? `${resource.label}: ${level === "write" ? "Write" : "Read"}` : scope;
}

const APPROVAL_CHOICES: { value: Access | "none"; label: string }[] = [
  { value: "none", label: "No approval needed" },
  { value: "full", label: `${ACCESS_WORDS.full} keys` },
  { value: "restricted", label: `${ACCESS_WORDS.restricted} and ${ACCESS_WORDS.full} keys` },
  { value: "read_only", label: "Every key" },
];

const checkbox = "size-4 rounded border-input accent-primary focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring";

/**
 * The team's key policy. `editable`: owners and admins change it; everyone else sees the same
 * fields, disabled, so they know the rules. `deployment` is the ceiling, shown beside each field.
 */
export function PolicyForm({
  slug,
  policy,
  editable,
  deployment,
}: {
  slug: string;
  policy: TeamPolicy;
  editable: boolean;
  deployment: { maxLifetimeDays: number | null; lifetimeWords: string };
}) {
  const [state, action, pending] = useActionState(changeTeamPolicyAction.bind(null, slug), { ok: false });
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, state.fieldErrors);
  const [lifetime, setLifetime] = useState<"deployment" | "days">(policy.maxLifetimeDays === null ? "deployment" : "days");
  const [scopesMode, setScopesMode] = useState<"all" | "some">(policy.developerScopes === null ? "all" : "some");
  const errors = state.fieldErrors ?? {};
  const disabled = !editable;
  const max = deployment.maxLifetimeDays ?? TEAM_LIFETIME_MAX;
  return (
    <form
      ref={form}
      noValidate
      aria-labelledby="policy-heading"
      className="grid gap-6 rounded-lg border p-4"
      onSubmit={(e) => {
        // Submitted by hand so React does not reset the fields (and the choices) when the server
        // answers with an error.
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => action(data));
      }}
    >
      <div>
        <h2 id="policy-heading" className="text-lg font-semibold">
          Key policy
        </h2>
        <p className="mt-1 text-sm text-muted-foreground">
          {editable
            ? "Rules for this team's keys. They apply when a key is created, edited, rotated or issued from a request, and can only be stricter than the deployment's."
            : "The rules for this team's keys, set by its admins and owners. Ask one of them to change them."}
        </p>
      </div>
      {editable && <FormMessage state={state} />}

      <fieldset className="grid gap-2" disabled={disabled} aria-describedby="lifetime-ceiling">
        <legend className="mb-1 text-sm font-medium">Maximum lifetime</legend>
        <p id="lifetime-ceiling" className="text-xs text-muted-foreground">
          {deployment.lifetimeWords}
        </p>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="lifetime" value="deployment" className={checkbox} checked={lifetime === "deployment"} onChange={() => setLifetime("deployment")} />
          The deployment&apos;s maximum
        </label>
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <label className="flex items-center gap-2">
            <input type="radio" name="lifetime" value="days" className={checkbox} checked={lifetime === "days"} onChange={() => setLifetime("days")} />
            At most
          </label>
          <Label htmlFor="policy-days" className="sr-only">
            Maximum lifetime in days
          </Label>
          <Input
            id="policy-days"
            name="maxLifetimeDays"
            inputMode="numeric"
            className="w-28"
            defaultValue={policy.maxLifetimeDays ?? ""}
            disabled={disabled || lifetime !== "days"}
            maxLength={7}
            aria-invalid={errors.maxLifetimeDays ? true : undefined}
            aria-describedby={errors.maxLifetimeDays ? "policy-days-error" : "policy-days-hint"}
          />
          <span>days</span>
        </div>
        {errors.maxLifetimeDays ? (
          <p id="policy-days-error" className="text-sm text-destructive">
            {errors.maxLifetimeDays}
          </p>
        ) : (
          <p id="policy-days-hint" className="text-xs text-muted-foreground">
            From {TEAM_LIFETIME_MIN} to {max} days, counted from each key&apos;s creation.
          </p>
        )}
      </fieldset>

      <fieldset className="grid gap-1" disabled={disabled}>
        <legend className="mb-1 text-sm font-medium">Expiry</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="requireExpiry" className={checkbox} defaultChecked={policy.requireExpiry} aria-describedby="expiry-ceiling" />
          Every team key must have an expiry date
        </label>
        <p id="expiry-ceiling" className="text-xs text-muted-foreground">
          {deployment.maxLifetimeDays === null ? "The deployment allows keys that never expire." : "The deployment already requires one: keys must expire."}
        </p>
      </fieldset>

      <fieldset className="grid gap-2" disabled={disabled} aria-describedby={errors.developerScopes ? "developer-scopes-error" : "developer-scopes-hint"}>
        <legend className="mb-1 text-sm font-medium">What developers may grant</legend>
        <p id="developer-scopes-hint" className="text-xs text-muted-foreground">
          Admins and owners may grant every scope. The deployment offers {ALL_SCOPES.length} scopes.
        </p>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="developerScopesMode" value="all" className={checkbox} checked={scopesMode === "all"} onChange={() => setScopesMode("all")} />
          Every scope
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="developerScopesMode" value="some" className={checkbox} checked={scopesMode === "some"} onChange={() => setScopesMode("some")} />
          Only these scopes
        </label>
        <div className="grid gap-1 pl-6 sm:grid-cols-2">
          {ALL_SCOPES.map((scope) => (
            <label key={scope} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                name="developerScopes"
                value={scope}
                className={checkbox}
                disabled={disabled || scopesMode !== "some"}
                defaultChecked={policy.developerScopes?.includes(scope) ?? false}
              />
              {scopeLabel(scope)}
            </label>
          ))}
        </div>
        {errors.developerScopes && (
          <p id="developer-scopes-error" className="text-sm text-destructive">
            {errors.developerScopes}
          </p>
        )}
      </fieldset>

      <div className="grid gap-2">
        <Label htmlFor="policy-approval">Approval by an admin</Label>
        <NativeSelect id="policy-approval" name="approvalFrom" defaultValue={policy.approvalFrom ?? "none"} disabled={disabled} aria-describedby="policy-approval-hint" className="sm:max-w-sm">
          {APPROVAL_CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </NativeSelect>
        <p id="policy-approval-hint" className="text-xs text-muted-foreground">
          A developer&apos;s key with this access waits for an admin or owner to approve it; then only the developer sees its secret, once. The deployment requires no approvals.
        </p>
      </div>

      <fieldset className="grid gap-1" disabled={disabled}>
        <legend className="mb-1 text-sm font-medium">IP allowlist</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="ipsRequiredForFull" className={checkbox} defaultChecked={policy.ipsRequiredForFull} aria-describedby="ips-hint" />
          Full-access keys must be limited to a list of IP addresses
        </label>
        <p id="ips-hint" className="text-xs text-muted-foreground">
          The deployment does not require one.
        </p>
      </fieldset>

      {editable && (
        <div>
          <SubmitButton pending={pending} pendingLabel="Saving…">
            Save policy
          </SubmitButton>
        </div>
      )}
    </form>
  );
}
