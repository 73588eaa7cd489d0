"use client";

import { useState } from "react";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { describeTimeZone, formatDate } from "@/lib/format";
import { dayIn } from "@/lib/calendar";
import { runtimeTimeZone } from "@/lib/time-zone";
import { DAY_MS, MINUTE_MS } from "@/lib/time";
import { DEFAULT_EXPIRATION } from "@/lib/validation/api-key.limits";

const CHOICES = [
  { value: "7", label: "7 days" },
  { value: "30", label: "30 days" },
  { value: "60", label: "60 days" },
  { value: "90", label: "90 days" },
  { value: "custom", label: "Custom date…" },
  { value: "never", label: "No expiration" },
] as const;

/**
 * What "Extend" preselects: the default lifetime from today, or the longest period this
 * deployment still allows for the key; a custom date when no period fits.
 */
function extensionChoice(choices: readonly { value: string }[]): string {
  const periods = choices.map((c) => c.value).filter((v) => /^\d+$/.test(v));
  if (periods.includes(DEFAULT_EXPIRATION)) return DEFAULT_EXPIRATION;
  return periods.at(-1) ?? "custom";
}

/**
 * Expiry choice. For an existing key (`current`) it starts at "Keep"; periods count from today.
 * With a deployment maximum, the lifetime counts from the key's creation (from today for a new
 * key), so choices that would end later, and "No expiration", are not offered. The server
 * enforces the same rule (lib/policy.ts); this only keeps people from picking what it refuses.
 */
export function ExpirationField({
  error,
  dateError,
  maxLifetimeDays,
  extend = false,
  current,
}: {
  error?: string;
  dateError?: string;
  maxLifetimeDays: number | null;
  extend?: boolean;
  current?: { expiresAt: Date | null; createdAt: Date };
}) {
  // The time the field appeared: choices stay put while the form is open.
  const [now] = useState(() => Date.now());
  // The dialogs render only in the browser, so this is the viewer's own zone: a custom date is a
  // day on their calendar (the server reads it in the zone sent with it).
  const [timeZone] = useState(runtimeTimeZone);
  const latest = maxLifetimeDays === null ? null : (current?.createdAt.getTime() ?? now) + maxLifetimeDays * DAY_MS;
  const choices = CHOICES.filter((c) =>
    latest === null ? true : c.value === "custom" || (c.value !== "never" && now + Number(c.value) * DAY_MS <= latest + MINUTE_MS),
  );
  const [choice, setChoice] = useState<string>(() => (!current ? DEFAULT_EXPIRATION : extend ? extensionChoice(choices) : "keep"));
  // A custom date means "through the end of that day", so the last allowed day ends by `latest`.
  const lastDay = latest === null ? undefined : dayIn(latest - DAY_MS, timeZone);
  return (
    <div className="grid gap-2">
      <Label htmlFor="expiration">Expiration</Label>
      <NativeSelect
        id="expiration"
        name="expiration"
        value={choice}
        onChange={(e) => setChoice(e.target.value)}
        // From "Extend": the choice to check (or change) before saving.
        autoFocus={extend}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "expiration-error" : undefined}
      >
        {current && (
          <option value="keep">
            Keep current ({current.expiresAt ? `expires ${formatDate(current.expiresAt, timeZone)}` : "never expires"})
          </option>
        )}
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {current && /^\d+$/.test(c.value) ? `${c.label} from today` : c.label}
          </option>
        ))}
      </NativeSelect>
      {error && (
        <p id="expiration-error" className="text-sm text-destructive">
          {error}
        </p>
      )}
      {maxLifetimeDays !== null && latest !== null && (
        <p className="text-xs text-muted-foreground">
          This deployment allows keys to live at most {maxLifetimeDays} days
          {current ? `, so this one can be set to expire no later than ${formatDate(new Date(latest), timeZone)}.` : "."}
        </p>
      )}
      {choice === "custom" && (
        <div className="grid gap-2">
          <Label htmlFor="customDate">Expiry date</Label>
          <Input
            id="customDate"
            name="customDate"
            type="date"
            min={dayIn(now + DAY_MS, timeZone)}
            max={lastDay}
            defaultValue={dayIn(Math.min(now + 30 * DAY_MS, latest === null ? Infinity : latest - DAY_MS), timeZone)}
            aria-invalid={dateError ? true : undefined}
            aria-describedby={dateError ? "customDate-error" : "customDate-hint"}
          />
          <input type="hidden" name="timeZone" value={timeZone} />
          {dateError ? (
            <p id="customDate-error" className="text-sm text-destructive">
              {dateError}
            </p>
          ) : (
            <p id="customDate-hint" className="text-xs text-muted-foreground">
              The key works through the end of this day in your time zone, {describeTimeZone(timeZone)}.
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
