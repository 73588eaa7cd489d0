import Link from "next/link";
import { Button, buttonVariants } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";

export type FilterField =
  | { kind: "text"; name: string; label: string; placeholder?: string; value?: string }
  | { kind: "date"; name: string; label: string; value?: string }
  | { kind: "select"; name: string; label: string; value?: string; options: { value: string; label: string }[] };

/**
 * A plain GET form: applying filters changes the URL (bookmarkable, shareable, back-button
 * friendly) and the server does the filtering. Works without JavaScript.
 */
export function FilterForm({ path, fields, label }: { path: string; fields: FilterField[]; label: string }) {
  return (
    <form method="get" action={path} role="search" aria-label={label} className="grid gap-3 rounded-lg border p-4 sm:grid-cols-2 lg:grid-cols-4">
      {fields.map((f) => (
        <div key={f.name} className="grid gap-1.5">
          <Label htmlFor={`filter-${f.name}`}>{f.label}</Label>
          {f.kind === "select" ? (
            <NativeSelect id={`filter-${f.name}`} name={f.name} defaultValue={f.value ?? ""}>
              {f.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </NativeSelect>
          ) : (
            <Input id={`filter-${f.name}`} name={f.name} type={f.kind === "date" ? "date" : "search"} defaultValue={f.value} placeholder={f.kind === "text" ? f.placeholder : undefined} />
          )}
        </div>
      ))}
      <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-4">
        <Button type="submit">Apply filters</Button>
        <Link href={path} className={buttonVariants({ variant: "ghost" })}>
          Clear
        </Link>
      </div>
    </form>
  );
}
