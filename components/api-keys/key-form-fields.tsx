"use client";

import { FormField } from "@/components/forms/form-field";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import type { FieldErrors } from "@/lib/action-state";
import type { Access, Level } from "@/lib/scopes";
import { DESCRIPTION_MAX, NAME_MAX } from "@/lib/validation/api-key.limits";
import { AccessFields } from "./access-fields";
import { AllowedIpsField } from "./allowed-ips-field";
import { ExpirationField } from "./expiration-field";

/** Name, description, access, expiry and allowed IPs: shared by the create and edit dialogs. */
export function KeyFormFields({
  errors,
  maxLifetimeDays,
  extend,
  defaults,
  onAccessChange,
}: {
  errors: FieldErrors;
  onAccessChange?: (access: Access) => void;
  maxLifetimeDays: number | null;
  /** Start the expiry on an extension rather than "Keep current" (the banner's Extend). */
  extend?: boolean;
  defaults?: {
    name: string;
    description: string | null;
    access: Access;
    permissions: Partial<Record<string, Level>>;
    specials: string[];
    expiresAt: Date | null;
    createdAt: Date;
    allowedIps: string[] | null;
  };
}) {
  return (
    <>
      <FormField
        id="key-name"
        name="name"
        label="Key name"
        placeholder="e.g. CI deploys"
        autoComplete="off"
        required
        // Twice the limit: the limit counts characters (an emoji is one), maxLength counts UTF-16
        // units. It only stops a huge paste turning into a body the server refuses outright.
        maxLength={NAME_MAX * 2}
        defaultValue={defaults?.name}
        hint={`Up to ${NAME_MAX} characters, unique among your keys.`}
        error={errors.name}
      />
      <div className="grid gap-2">
        <Label htmlFor="key-description">
          Description <span className="font-normal text-muted-foreground">(optional)</span>
        </Label>
        <Textarea
          id="key-description"
          name="description"
          rows={2}
          maxLength={DESCRIPTION_MAX * 2}
          placeholder="What uses this key?"
          defaultValue={defaults?.description ?? undefined}
          aria-invalid={errors.description ? true : undefined}
          aria-describedby={errors.description ? "key-description-error" : undefined}
        />
        {errors.description ? (
          <p id="key-description-error" className="text-sm text-destructive">
            {errors.description}
          </p>
        ) : (
          <p className="text-xs text-muted-foreground">Up to {DESCRIPTION_MAX} characters.</p>
        )}
      </div>
      <AccessFields
        defaultAccess={defaults?.access}
        defaultPermissions={defaults?.permissions}
        defaultSpecials={defaults?.specials}
        error={errors.permissions ?? errors.access ?? errors.specials}
        onAccessChange={onAccessChange}
      />
      <ExpirationField
        error={errors.expiration}
        dateError={errors.customDate}
        maxLifetimeDays={maxLifetimeDays}
        extend={extend}
        current={defaults ? { expiresAt: defaults.expiresAt, createdAt: defaults.createdAt } : undefined}
      />
      <AllowedIpsField defaultValue={defaults?.allowedIps} error={errors.allowedIps} />
    </>
  );
}
