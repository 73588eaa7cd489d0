"use client";

import { withStepUp } from "@/components/auth/step-up";
import { Loader2Icon } from "lucide-react";
import Link from "next/link";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { useRouter } from "next/navigation";
import { adminRevokeKeysAction, adminRevokeMatchingAction } from "@/app/(dashboard)/admin/actions";
import { StatusBadge } from "@/components/api-keys/status-badge";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Textarea } from "@/components/ui/textarea";
import { DateTime } from "@/components/layout/date-time";
import { deletedByOwner, revokedNote, type KeyStatus } from "@/lib/keys/status";
import { PLACES } from "@/lib/glossary";

export type AdminKeyRow = {
  id: string;
  name: string;
  hint: string;
  access: string;
  /** A person (by email) or a team (by name, its slug on hover). */
  owner: { kind: "user"; email: string; name: string } | { kind: "team"; name: string; slug: string };
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  status: KeyStatus;
  revokedReason: string | null;
};

/** How a row's owner reads in a sentence: the person's email, or "team <name>". */
function ownerLabel(row: AdminKeyRow): string {
  return row.owner.kind === "team" ? `team ${row.owner.name}` : row.owner.email;
}

/** Every usable key the list's filters match (on every page), for "Revoke all matching". */
export type Matching = { count: number; tooMany: boolean; max: number; filters: Record<string, string> };

export function AdminKeysTable({ rows, now, matching, timeZone }: { rows: AdminKeyRow[]; now: Date; matching: Matching | null; timeZone: string }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [pending, startTransition] = useTransition();
  const selectable = rows.filter((r) => r.status !== "revoked");
  const allSelected = selectable.length > 0 && selectable.every((r) => selected.has(r.id));

  function toggle(id: string) {
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  function revoke() {
    startTransition(async () => {
      const result = await withStepUp(() => adminRevokeKeysAction({ ids: [...selected], reason }));
      if (result.ok) {
        toast.success(result.message);
        setSelected(new Set());
        setReason("");
        setError(undefined);
        setOpen(false);
      } else {
        setError(result.fieldErrors?.reason ?? result.fieldErrors?.ids);
        if (!result.fieldErrors) toast.error(result.message ?? "The keys could not be revoked. Try again.");
      }
    });
  }

  return (
    <div className="grid gap-3">
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="destructive" size="sm" disabled={selected.size === 0} onClick={() => setOpen(true)}>
          Revoke selected ({selected.size})
        </Button>
        {matching && <RevokeMatching matching={matching} />}
      </div>
      <Table aria-label={PLACES.allApiKeys}>
        <TableHeader>
          <TableRow>
            <TableHead className="w-8">
              <input
                type="checkbox"
                aria-label="Select all active keys on this page"
                checked={allSelected}
                onChange={() => setSelected(allSelected ? new Set() : new Set(selectable.map((r) => r.id)))}
                className="size-4 accent-primary"
              />
            </TableHead>
            <TableHead>Owner</TableHead>
            <TableHead>Name</TableHead>
            <TableHead>Key</TableHead>
            <TableHead>Access</TableHead>
            <TableHead>Created</TableHead>
            <TableHead>Last used</TableHead>
            <TableHead>Expires</TableHead>
            <TableHead>Status</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((row) => (
            <TableRow key={row.id} data-key-id={row.id}>
              <TableCell>
                {row.status !== "revoked" && (
                  <input
                    type="checkbox"
                    aria-label={`Select ${row.name} of ${ownerLabel(row)}`}
                    checked={selected.has(row.id)}
                    onChange={() => toggle(row.id)}
                    className="size-4 accent-primary"
                  />
                )}
              </TableCell>
              <TableCell className="max-w-40">
                {row.owner.kind === "team" ? (
                  <div className="flex min-w-0 items-center gap-1.5 text-sm" title={`Team ${row.owner.name} (${row.owner.slug})`}>
                    <span className="shrink-0 rounded border px-1 text-xs text-muted-foreground">Team</span>
                    <span className="truncate">{row.owner.name}</span>
                  </div>
                ) : (
                  <div className="truncate text-sm" title={row.owner.email}>
                    {row.owner.email}
                  </div>
                )}
              </TableCell>
              <TableCell className="max-w-56 min-w-40 whitespace-normal font-medium">
                <Link href={`/admin/audit?${new URLSearchParams({ target: row.id })}`} className="line-clamp-2 underline-offset-4 [overflow-wrap:anywhere] hover:underline" title={`${row.name}: its events`}>
                  {row.name}
                </Link>
              </TableCell>
              <TableCell>
                <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{row.hint}</code>
              </TableCell>
              <TableCell className="text-sm">{row.access}</TableCell>
              <TableCell className="text-sm">
                <DateTime date={row.createdAt} timeZone={timeZone} />
              </TableCell>
              <TableCell className="text-sm">{row.lastUsedAt ? <DateTime date={row.lastUsedAt} timeZone={timeZone} now={now} relative /> : "Never"}</TableCell>
              <TableCell className="text-sm">{row.expiresAt ? <DateTime date={row.expiresAt} timeZone={timeZone} /> : "Never"}</TableCell>
              <TableCell>
                <div className="grid justify-items-start gap-1">
                  <StatusBadge status={row.status} deleted={deletedByOwner(row.revokedReason)} />
                  {row.status === "revoked" && row.revokedReason && !deletedByOwner(row.revokedReason) && (
                    // Cells do not wrap; a reason can be 200 characters: two lines here, in full in the owner's view.
                    <span className="line-clamp-2 max-w-44 text-xs whitespace-normal text-muted-foreground [overflow-wrap:anywhere]" title={revokedNote(row.revokedReason)}>
                      {revokedNote(row.revokedReason)}
                    </span>
                  )}
                </div>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <AlertDialog open={open} onOpenChange={(next) => !pending && setOpen(next)}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Revoke {selected.size === 1 ? "1 key" : `${selected.size} keys`}?</AlertDialogTitle>
            <AlertDialogDescription>
              Apps using {selected.size === 1 ? "it" : "them"} stop working on their next request. The owners see your reason.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <div className="grid gap-2">
            <ReasonField id="revoke-reason" value={reason} onChange={setReason} error={error} />
          </div>
          <AlertDialogFooter>
            <AlertDialogCancel disabled={pending}>Cancel</AlertDialogCancel>
            <Button variant="destructive" onClick={revoke} disabled={pending}>
              {pending && <Loader2Icon className="animate-spin" aria-hidden />}
              {pending ? "Revoking…" : "Revoke keys"}
            </Button>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </div>
  );
}

const fmt = (n: number) => n.toLocaleString("en-US");

/**
 * "Revoke all N matching": every usable key the filters match, not only this page's. The admin
 * types the count to confirm it; the server revokes nothing if the match has changed since.
 */
function RevokeMatching({ matching }: { matching: Matching }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [typed, setTyped] = useState("");
  const [errors, setErrors] = useState<{ reason?: string; form?: string }>({});
  const [pending, startTransition] = useTransition();
  const count = fmt(matching.count);
  const confirmed = typed.replace(/[,\s]/g, "") === String(matching.count);

  function revoke() {
    startTransition(async () => {
      const result = await withStepUp(() => adminRevokeMatchingAction({ filters: matching.filters, reason, expected: matching.count }));
      if (result.ok) {
        toast.success(result.message);
        setOpen(false);
        setReason("");
        setTyped("");
        setErrors({});
      } else if (result.fieldErrors?.reason) {
        setErrors({ reason: result.fieldErrors.reason });
      } else {
        setErrors({ form: result.message ?? "The keys could not be revoked. Try again." });
        router.refresh(); // the count on the button follows the list as it is now
      }
    });
  }

  if (matching.tooMany) {
    return <p className="text-sm text-muted-foreground">More than {fmt(matching.max)} keys match: narrow the filters to revoke them all at once.</p>;
  }
  return (
    <>
      <Button variant="outline" size="sm" className="border-destructive/50 text-destructive" onClick={() => setOpen(true)}>
        {matching.count === 1 ? "Revoke the 1 matching key" : `Revoke all ${count} matching`}
      </Button>
      <AlertDialog open={open} onOpenChange={(next) => !pending && setOpen(next)}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Revoke all {matching.count === 1 ? "1 key" : `${count} keys`} that match these filters?</AlertDialogTitle>
            <AlertDialogDescription>
              Every usable key the filters match, on every page of the list, not only the ones shown. Apps using them stop working on their
              next request. The owners see your reason.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <div className="grid gap-2">
            <ReasonField id="revoke-all-reason" value={reason} onChange={setReason} error={errors.reason} />
            <Label htmlFor="revoke-all-count">Type {count} to confirm</Label>
            <Input id="revoke-all-count" inputMode="numeric" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
            {errors.form && (
              <p role="alert" className="text-sm text-destructive">
                {errors.form}
              </p>
            )}
          </div>
          <AlertDialogFooter>
            <AlertDialogCancel disabled={pending}>Cancel</AlertDialogCancel>
            <Button variant="destructive" onClick={revoke} disabled={pending || !confirmed}>
              {pending && <Loader2Icon className="animate-spin" aria-hidden />}
              {pending ? "Revoking…" : `Revoke ${count} ${matching.count === 1 ? "key" : "keys"}`}
            </Button>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}

/** The reason an administrator gives for revoking keys; their owners see it. */
function ReasonField({ id, value, onChange, error }: { id: string; value: string; onChange: (value: string) => void; error?: string }) {
  return (
    <>
      <Label htmlFor={id}>Reason</Label>
      <Textarea
        id={id}
        value={value}
        // Twice the 200-character limit: a huge paste gets the field error, not a refused request.
        maxLength={400}
        onChange={(e) => onChange(e.target.value)}
        placeholder="e.g. Leaked in a public repository"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error && (
        <p id={`${id}-error`} className="text-sm text-destructive">
          {error}
        </p>
      )}
    </>
  );
}
