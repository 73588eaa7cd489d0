"use client";

import { useState } from "react";
import { Label } from "@/components/ui/label";
import { RadioGroup, RadioGroupItem } from "@/components/ui/radio-group";
import { RESOURCES, SPECIALS, type Access, type Level } from "@/lib/scopes";
import { cn } from "@/lib/utils";

const ACCESS_OPTIONS: { value: Access; label: string; description: string }[] = [
  { value: "full", label: "Full access", description: "Read and write every resource." },
  { value: "read_only", label: "Read only", description: "Read every resource, change nothing." },
  { value: "restricted", label: "Restricted", description: "Choose access per resource." },
];

const LEVEL_LABELS: Record<Level, string> = { none: "None", read: "Read", write: "Write" };

/** Access choice plus, for Restricted, a None/Read/Write grid built from the scope catalogue. */
export function AccessFields({
  defaultAccess = "full",
  defaultPermissions = {},
  defaultSpecials = [],
  error,
  onAccessChange,
}: {
  /** Told of each access choice (the team create dialog: whether the key needs approval). */
  onAccessChange?: (access: Access) => void;
  defaultAccess?: Access;
  defaultPermissions?: Partial<Record<string, Level>>;
  defaultSpecials?: readonly string[];
  error?: string;
}) {
  const [access, setAccessState] = useState<Access>(defaultAccess);
  const setAccess = (next: Access) => {
    setAccessState(next);
    onAccessChange?.(next);
  };
  const [chosen, setChosen] = useState<Partial<Record<string, Level>>>(defaultPermissions);
  const setLevel = (resource: string, level: Level) => setChosen((prev) => ({ ...prev, [resource]: level }));
  return (
    <fieldset className="grid gap-3" aria-describedby={error ? "permissions-error" : undefined}>
      <legend className="mb-2 text-sm font-medium">Access</legend>
      <RadioGroup name="access" value={access} onValueChange={(v) => setAccess(v as Access)} className="grid gap-2 sm:grid-cols-3">
        {ACCESS_OPTIONS.map((option) => (
          <Label
            key={option.value}
            htmlFor={`access-${option.value}`}
            className={cn(
              "flex cursor-pointer items-start gap-2 rounded-md border p-3 font-normal has-[button:focus-visible]:ring-[3px] has-[button:focus-visible]:ring-ring",
              access === option.value && "border-primary bg-accent",
            )}
          >
            <RadioGroupItem
              id={`access-${option.value}`}
              value={option.value}
              className="mt-0.5"
              aria-describedby={`access-${option.value}-desc`}
              onFocus={(e) => e.currentTarget.matches(":focus-visible") && setAccess(option.value)}
            />
            <span className="grid gap-1">
              <span className="font-medium">{option.label}</span>
              <span id={`access-${option.value}-desc`} className="text-xs text-muted-foreground">
                {option.description}
              </span>
            </span>
          </Label>
        ))}
      </RadioGroup>
      {access === "restricted" && (
        <div className="overflow-x-auto rounded-md border">
          <table className="w-full text-sm">
            <caption className="sr-only">Permissions per resource</caption>
            <thead className="bg-muted/50 text-left text-xs text-muted-foreground">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">
                  Resource
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Permission
                </th>
              </tr>
            </thead>
            <tbody>
              {RESOURCES.map((resource) => {
                const levels: Level[] = ["none", ...resource.levels];
                return (
                  <tr key={resource.id} className="border-t">
                    <th scope="row" className="px-3 py-2 text-left font-normal">
                      <span id={`perm-${resource.id}-label`} className="font-medium">
                        {resource.label}
                      </span>
                      <span className="block text-xs text-muted-foreground">{resource.description}</span>
                    </th>
                    <td className="px-3 py-2">
                      <RadioGroup
                        name={`permissions.${resource.id}`}
                        value={chosen[resource.id] ?? "none"}
                        onValueChange={(v) => setLevel(resource.id, v as Level)}
                        aria-labelledby={`perm-${resource.id}-label`}
                        className="flex flex-wrap gap-3"
                      >
                        {levels.map((level) => (
                          <div key={level} className="flex items-center gap-1.5">
                            <RadioGroupItem
                              id={`perm-${resource.id}-${level}`}
                              value={level}
                              // Arrow keys choose as they move (Radix does so only while the key is still down when focus lands).
                              onFocus={(e) => e.currentTarget.matches(":focus-visible") && setLevel(resource.id, level)}
                            />
                            <Label htmlFor={`perm-${resource.id}-${level}`} className="font-normal">
                              {LEVEL_LABELS[level]}
                            </Label>
                          </div>
                        ))}
                      </RadioGroup>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <fieldset className="grid gap-2 border-t px-3 py-2">
            <legend className="sr-only">Other permissions</legend>
            {SPECIALS.map((special) => (
              <label key={special.scope} className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  name="specials"
                  value={special.scope}
                  defaultChecked={defaultSpecials.includes(special.scope)}
                  className="mt-0.5 size-4 accent-primary"
                />
                <span>
                  <span className="font-medium">{special.label}</span>
                  <span className="block text-xs text-muted-foreground">{special.description}</span>
                </span>
              </label>
            ))}
          </fieldset>
        </div>
      )}
      {error && (
        <p id="permissions-error" className="text-sm text-destructive">
          {error}
        </p>
      )}
    </fieldset>
  );
}
