"use client";

import { useActionState, useRef, useState } from "react";
import { deleteTeamAction, leaveTeamAction, transferOwnershipAction } from "@/app/(dashboard)/t/[slug]/settings/members/actions";
import { withStepUp } from "@/components/auth/step-up";
import { ConfirmButton } from "@/components/forms/confirm-button";
import { FormMessage } from "@/components/forms/form-message";
import { FormField } from "@/components/forms/form-field";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
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
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { useReturnFocus } from "@/components/ui/use-return-focus";
import type { ActionState } from "@/lib/action-state";
import type { MemberView } from "./member-view";

export function LeaveTeamButton({ slug, teamName }: { slug: string; teamName: string }) {
  return (
    <ConfirmButton
      label="Leave team"
      title={`Leave ${teamName}?`}
      description="You lose access to the team's keys and members at once. An admin of the team can add you again."
      confirmLabel="Leave team"
      pendingLabel="Leaving…"
      destructive
      opener="section"
      run={() => leaveTeamAction(slug)}
      failure="You could not leave the team. Try again."
    />
  );
}

/** An owner makes another member an owner, and may step down to admin in the same change. */
export function TransferOwnershipButton({ slug, teamName, members }: { slug: string; teamName: string; members: MemberView[] }) {
  const [userId, setUserId] = useState(members[0]?.userId ?? "");
  const [stepDown, setStepDown] = useState(true);
  if (members.length === 0) return null;
  return (
    <ConfirmButton
      label="Transfer ownership"
      title={`Transfer ownership of ${teamName}`}
      description="The member you choose becomes an owner: they can delete the team and change anyone's role."
      confirmLabel="Transfer ownership"
      pendingLabel="Transferring…"
      destructive={false}
      opener="section"
      run={() => withStepUp(() => transferOwnershipAction(slug, { userId, stepDown }))}
      failure="Ownership could not be transferred. Try again."
    >
      <div className="grid gap-3">
        <div className="grid gap-2">
          <Label htmlFor="transfer-to">New owner</Label>
          <NativeSelect id="transfer-to" value={userId} onChange={(e) => setUserId(e.currentTarget.value)}>
            {members.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.name} ({m.email})
              </option>
            ))}
          </NativeSelect>
        </div>
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" checked={stepDown} onChange={(e) => setStepDown(e.currentTarget.checked)} className="mt-0.5 size-4 accent-primary" />
          <span>Step down to admin (you keep managing members and keys)</span>
        </label>
      </div>
    </ConfirmButton>
  );
}

/** Deleting the team: the owner types its address first; the server checks it again. */
export function DeleteTeamForm({ slug, teamName }: { slug: string; teamName: string }) {
  const [open, setOpen] = useState(false);
  const [state, action, pending] = useActionState<ActionState, FormData>((prev, data) => withStepUp(() => deleteTeamAction(slug, prev, data)), { ok: false });
  const form = useRef<HTMLFormElement>(null);
  const { remember, onCloseAutoFocus } = useReturnFocus();
  useFocusFirstError(form, state.fieldErrors);
  return (
    <>
      <Button
        variant="destructive"
        onClick={() => {
          remember();
          setOpen(true);
        }}
      >
        Delete team
      </Button>
      <AlertDialog open={open} onOpenChange={(value) => !pending && setOpen(value)}>
        <AlertDialogContent onCloseAutoFocus={onCloseAutoFocus}>
          <form ref={form} action={action} noValidate className="grid gap-4">
            <AlertDialogHeader>
              <AlertDialogTitle className="[overflow-wrap:anywhere]">Delete {teamName}?</AlertDialogTitle>
              <AlertDialogDescription>
                Every member loses access at once and the address /t/{slug} becomes free. This cannot be undone.
              </AlertDialogDescription>
            </AlertDialogHeader>
            <FormMessage state={state} />
            <FormField
              id="confirm-slug"
              name="confirmSlug"
              label={`Type ${slug} to confirm`}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              required
              error={state.fieldErrors?.confirmSlug}
            />
            <AlertDialogFooter>
              <AlertDialogCancel type="button" disabled={pending}>
                Cancel
              </AlertDialogCancel>
              <SubmitButton variant="destructive" pending={pending} pendingLabel="Deleting…">
                Delete team
              </SubmitButton>
            </AlertDialogFooter>
          </form>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}
