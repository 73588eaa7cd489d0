"use client";

import { withStepUp } from "@/components/auth/step-up";
import Link from "next/link";
import { startTransition, useActionState, useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import type { CreatedKey } from "@/app/(dashboard)/settings/api-keys/actions";
import { useKeyServerActions } from "./key-server-actions";
import { SubmitButton } from "@/components/forms/submit-button";
import { useFocusFirstError } from "@/components/forms/use-focus-first-error";
import { DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import type { ActionState } from "@/lib/action-state";
import { KeyFormFields } from "./key-form-fields";
import { NewKeyView } from "./new-key-secret";
import { SecretDialog, type SecretDialogControls } from "./secret-dialog";
import { ACTIONS, PLACES } from "@/lib/glossary";
import type { RequestedKey } from "@/app/(dashboard)/t/[slug]/settings/requests/actions";
import { Button } from "@/components/ui/button";
import { DialogFooter } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import type { Access } from "@/lib/scopes";
import { ACCESS_WORDS, atLeastAccess } from "@/lib/teams/access";
import { JUSTIFICATION_MAX } from "@/lib/validation/team-policy.limits";
import { useKeyScope } from "./key-scope";
import { InfoIcon } from "lucide-react";

/**
 * Rendered once per page at a stable place in the tree (see KeysSection): if it moved when the
 * list went from empty to non-empty, React would remount it and the secret would vanish.
 */
export function CreateKeyDialog({
  origin,
  open,
  onClose,
  onCloseAutoFocus,
  maxLifetimeDays,
}: {
  origin: string;
  open: boolean;
  onClose: () => void;
  onCloseAutoFocus?: (event: Event) => void;
  maxLifetimeDays: number | null;
}) {
  return (
    <SecretDialog open={open} onClose={onClose} onCloseAutoFocus={onCloseAutoFocus} className="sm:max-w-xl">
      {(controls) => <CreateKeyBody origin={origin} controls={controls} maxLifetimeDays={maxLifetimeDays} />}
    </SecretDialog>
  );
}

function CreateKeyBody({ origin, controls, maxLifetimeDays }: { origin: string; controls: SecretDialogControls; maxLifetimeDays: number | null }) {
  const server = useKeyServerActions();
  const { teamSlug, approvalFrom } = useKeyScope();
  const [access, setAccess] = useState<Access>("full");
  // The team's policy puts this access behind an admin's approval for this member: the same form
  // asks for it instead (the server decides again: lib/teams/policy.ts).
  const needsApproval = !!approvalFrom && !!server.request && atLeastAccess(access, approvalFrom);
  const [state, action, pending] = useActionState<ActionState<CreatedKey>, FormData>((prev, data) => withStepUp(() => server.create(prev, data)), { ok: false });
  const [asked, ask, asking] = useActionState<ActionState<RequestedKey>, FormData>((prev, data) => server.request!(prev, data), { ok: false });
  const created = state.ok ? state.data : undefined;
  const requested = asked.ok ? asked.data : undefined;
  const shown = needsApproval ? asked : state;
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstError(form, shown.fieldErrors);

  useEffect(() => {
    if (created) {
      controls.secretShown();
      toast.success(`API key “${created.name}” created`);
    } else if (state.message && !state.fieldErrors) {
      toast.error(state.message);
    }
  }, [state]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (asked.message && !asked.ok && !asked.fieldErrors) toast.error(asked.message);
  }, [asked]);

  if (created) {
    return (
      <NewKeyView
        title="Save your API key"
        description={`“${created.name}” is ready. Use it as a Bearer token in the Authorization header.`}
        secret={created.secret}
        origin={origin}
        controls={controls}
      />
    );
  }

  if (requested && teamSlug !== undefined) {
    return (
      <>
        <DialogHeader>
          <DialogTitle>Request sent</DialogTitle>
          <DialogDescription className="[overflow-wrap:anywhere]">
            “{requested.name}” waits for a team admin or owner. Follow it on the team&apos;s {PLACES.teamRequests} page: once it is approved, create the key there and
            copy its secret, shown once.
          </DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <Button variant="outline" onClick={controls.requestClose}>
            Done
          </Button>
          <Button asChild>
            <Link href={`/t/${teamSlug}/settings/requests`}>Go to {PLACES.teamRequests}</Link>
          </Button>
        </DialogFooter>
      </>
    );
  }

  return (
    <form
      ref={form}
      noValidate
      className="grid min-w-0 gap-5"
      onSubmit={(e) => {
        // Submitted by hand (not via the form's action prop) so React does not reset the
        // fields when the server answers with errors.
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => (needsApproval ? ask(data) : action(data)));
      }}
    >
      <DialogHeader>
        <DialogTitle>{ACTIONS.createKey}</DialogTitle>
        <DialogDescription>
          {needsApproval ? "This key needs a team admin's approval before it is created." : "The key is shown once, right after you generate it."}
        </DialogDescription>
      </DialogHeader>
      <KeyFormFields errors={shown.fieldErrors ?? {}} maxLifetimeDays={maxLifetimeDays} onAccessChange={setAccess} />
      {needsApproval && (
        <div className="grid gap-3">
          <div role="note" className="flex gap-2 rounded-md border bg-muted/50 p-3 text-sm">
            <InfoIcon className="mt-0.5 size-4 shrink-0" aria-hidden />
            <p>
              The team&apos;s policy needs an admin&apos;s approval for {ACCESS_WORDS[approvalFrom!]} keys
              {approvalFrom === "full" ? "" : " and broader"}. Your request waits on the {PLACES.teamRequests} page; once approved, you create the key there and see its
              secret once.
            </p>
          </div>
          <div className="grid gap-2">
            <Label htmlFor="key-justification">
              Why do you need it? <span className="font-normal text-muted-foreground">(optional)</span>
            </Label>
            <Textarea
              id="key-justification"
              name="justification"
              rows={2}
              maxLength={JUSTIFICATION_MAX * 2}
              aria-invalid={asked.fieldErrors?.justification ? true : undefined}
              aria-describedby="key-justification-hint"
            />
            <p id="key-justification-hint" className={asked.fieldErrors?.justification ? "text-sm text-destructive" : "text-xs text-muted-foreground"}>
              {asked.fieldErrors?.justification ?? `Shown to the admin who decides. Up to ${JUSTIFICATION_MAX} characters.`}
            </p>
          </div>
        </div>
      )}
      <div className="flex justify-end">
        {needsApproval ? (
          <SubmitButton pending={asking} pendingLabel="Sending…">
            Request approval
          </SubmitButton>
        ) : (
          <SubmitButton pending={pending} pendingLabel="Generating…">
            Generate
          </SubmitButton>
        )}
      </div>
    </form>
  );
}
