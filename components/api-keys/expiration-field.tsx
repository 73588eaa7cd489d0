"use client";

import { useState } from "react";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { DEFAULT_EXPIRATION, type ExpirationChoice } from "@/lib/validation/api-key.schema";

const CHOICES: { value: ExpirationChoice; label: string }[] = [
  { value: "7", label: "7 days" },
  { value: "30", label: "30 days" },
  { value: "60", label: "60 days" },
  { value: "90", label: "90 days" },
  { value: "custom", label: "Custom date…" },
  { value: "never", label: "No expiration" },
];

function isoDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

export function ExpirationField({ error, dateError }: { error?: string; dateError?: string }) {
  const [choice, setChoice] = useState<ExpirationChoice>(DEFAULT_EXPIRATION);
  return (
    <div className="grid gap-2">
      <Label htmlFor="expiration">Expiration</Label>
      <select
        id="expiration"
        name="expiration"
        value={choice}
        onChange={(e) => setChoice(e.target.value as ExpirationChoice)}
        aria-invalid={error ? true : undefined}
        className="h-9 w-full rounded-md border border-input bg-background px-3 text-sm shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 dark:bg-input/30"
      >
        {CHOICES.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      {error && <p className="text-sm text-destructive">{error}</p>}
      {choice === "custom" && (
        <div className="grid gap-2">
          <Label htmlFor="customDate">Expiry date</Label>
          <Input
            id="customDate"
            name="customDate"
            type="date"
            min={isoDay(1)}
            defaultValue={isoDay(30)}
            aria-invalid={dateError ? true : undefined}
            aria-describedby={dateError ? "customDate-error" : "customDate-hint"}
          />
          {dateError ? (
            <p id="customDate-error" className="text-sm text-destructive">
              {dateError}
            </p>
          ) : (
            <p id="customDate-hint" className="text-xs text-muted-foreground">
              The key works through the end of this day (UTC).
            </p>
          )}
        </div>
      )}
      {choice === "never" && (
        <p className="text-xs text-muted-foreground">
          Keys that never expire are a common source of leaks. Prefer an expiry and rotate the key.
        </p>
      )}
    </div>
  );
}
