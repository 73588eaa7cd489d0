"use client";

import { useActionState, useEffect, useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import type { CreatedKey } from "@/app/(dashboard)/settings/api-keys/actions";
import {
  approveKeyRequestAction,
  cancelKeyRequestAction,
  denyKeyRequestAction,
  issueRequestedKeyAction,
} from "@/app/(dashboard)/t/[slug]/settings/requests/actions";
import { NewKeyView } from "@/components/api-keys/new-key-secret";
import { SecretDialog } from "@/components/api-keys/secret-dialog";
import { withStepUp } from "@/components/auth/step-up";
import { FormMessage } from "@/components/forms/form-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { useReturnFocus } from "@/components/ui/use-return-focus";
import type { ActionState } from "@/lib/action-state";
import { DECISION_REASON_MAX } from "@/lib/validation/team-policy.limits";
import { ACTIONS } from "@/lib/glossary";
import { STATUS_WORDS, type RequestView } from "./request-view";

const BADGE: Record<RequestView["status"], "default" | "secondary" | "destructive" | "outline" | "success" | "warning"> = {
  pending: "warning",
  approved: "success",
  denied: "destructive",
  cancelled: "outline",
  issued: "secondary",
};

/** One request: what the key will be, who asked and why, and the decision. */
function RequestItem({ request, children }: { request: RequestView; children?: React.ReactNode }) {
  return (
    <li>
      <div role="group" aria-label={`Request for “${request.name}”`} data-request-id={request.id} className="grid gap-3 rounded-lg border p-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 className="font-medium [overflow-wrap:anywhere]">{request.name}</h3>
          <p className="text-sm text-muted-foreground [overflow-wrap:anywhere]">
            {request.mine ? "You asked" : `${request.requester.name || request.requester.email} (${request.requester.email}) asked`} on {request.requestedAt}
          </p>
        </div>
        <Badge variant={BADGE[request.status]}>{STATUS_WORDS[request.status]}</Badge>
      </div>
      <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[10rem_minmax(0,1fr)]">
        <dt className="text-muted-foreground">Access</dt>
        <dd className="[overflow-wrap:anywhere]">{request.access}</dd>
        <dt className="text-muted-foreground">Expires</dt>
        <dd>{request.expires}</dd>
        <dt className="text-muted-foreground">Allowed IPs</dt>
        <dd className="[overflow-wrap:anywhere]">{request.allowedIps ? <span className="font-mono text-xs">{request.allowedIps.join(", ")}</span> : "Any address"}</dd>
        {request.description && (
          <>
            <dt className="text-muted-foreground">Description</dt>
            <dd className="whitespace-pre-wrap [overflow-wrap:anywhere]">{request.description}</dd>
          </>
        )}
        <dt className="text-muted-foreground">Why</dt>
        <dd className="whitespace-pre-wrap [overflow-wrap:anywhere]">{request.justification ?? <span className="text-muted-foreground">No reason given</span>}</dd>
        {request.decidedAt && (
          <>
            <dt className="text-muted-foreground">{request.status === "denied" ? "Denied" : "Approved"}</dt>
            <dd className="[overflow-wrap:anywhere]">
              {request.decidedAt}
              {request.decider ? ` by ${request.decider.name || request.decider.email}` : ""}
            </dd>
          </>
        )}
        {request.reason && (
          <>
            <dt className="text-muted-foreground">{request.status === "denied" ? "Reason for the denial" : "Note from the approver"}</dt>
            <dd className="whitespace-pre-wrap [overflow-wrap:anywhere]">{request.reason}</dd>
          </>
        )}
      </dl>
        {children && <div className="flex flex-wrap gap-2">{children}</div>}
      </div>
    </li>
  );
}

/** Approve (an optional note) or deny (a reason the requester reads) in a dialog; focus returns to the button. */
function DecisionButton({ slug, request, decision }: { slug: string; request: RequestView; decision: "approve" | "deny" }) {
  const [open, setOpen] = useState(false);
  const run = decision === "approve" ? approveKeyRequestAction : denyKeyRequestAction;
  const [state, action, pending] = useActionState<ActionState, FormData>(
    async (prev, form) => {
      const next = await run(slug, prev, form);
      if (next.ok) {
        toast.success(next.message);
        setOpen(false);
      }
      return next;
    },
    { ok: false },
  );
  const deny = decision === "deny";
  const reasonId = `${decision}-reason-${request.id}`;
  const error = state.fieldErrors?.reason;
  return (
    <Dialog open={open} onOpenChange={(v) => !pending && setOpen(v)}>
      <DialogTrigger asChild>
        <Button variant={deny ? "outline" : "default"} aria-label={`${deny ? "Deny" : "Approve"} “${request.name}”`}>
          {deny ? "Deny" : "Approve"}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form action={action} noValidate className="grid min-w-0 gap-4">
          <DialogHeader>
            <DialogTitle className="[overflow-wrap:anywhere]">
              {deny ? "Deny" : "Approve"} “{request.name}”?
            </DialogTitle>
            <DialogDescription>
              {deny
                ? `${request.requester.email} will see your reason and can ask again.`
                : `${request.requester.email} can then create the key (${request.access}) and will see its secret once.`}
            </DialogDescription>
          </DialogHeader>
          <FormMessage state={state} />
          <input type="hidden" name="requestId" value={request.id} />
          <div className="grid gap-2">
            <Label htmlFor={reasonId}>
              {deny ? "Reason" : "Note"} {!deny && <span className="font-normal text-muted-foreground">(optional)</span>}
            </Label>
            <Textarea
              id={reasonId}
              name="reason"
              rows={3}
              required={deny}
              maxLength={DECISION_REASON_MAX}
              aria-invalid={error ? true : undefined}
              aria-describedby={`${reasonId}-hint`}
            />
            <p id={`${reasonId}-hint`} className={error ? "text-sm text-destructive" : "text-xs text-muted-foreground"}>
              {error ?? `Up to ${DECISION_REASON_MAX} characters.${deny ? " Say what would make it acceptable." : ""}`}
            </p>
          </div>
          <DialogFooter>
            <Button type="button" variant="outline" disabled={pending} onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <SubmitButton pending={pending} pendingLabel={deny ? "Denying…" : "Approving…"} variant={deny ? "destructive" : "default"}>
              {deny ? "Deny request" : "Approve request"}
            </SubmitButton>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function CancelButton({ slug, request }: { slug: string; request: RequestView }) {
  const [pending, start] = useTransition();
  return (
    <Button
      variant="outline"
      disabled={pending}
      aria-label={`Cancel the request for “${request.name}”`}
      onClick={() =>
        start(async () => {
          const state = await cancelKeyRequestAction(slug, request.id);
          if (state.ok) toast.success(state.message);
          else toast.error(state.message);
        })
      }
    >
      {pending ? "Cancelling…" : "Cancel request"}
    </Button>
  );
}

/**
 * The approved request's key, created on click. The secret goes up to the page's one secret dialog
 * (KeyRequests): this button disappears once the request is issued and the page refreshes.
 */
function CreateFromRequest({ slug, request, onCreated }: { slug: string; request: RequestView; onCreated: (key: CreatedKey, focus: ReturnType<typeof useReturnFocus>) => void }) {
  const [pending, start] = useTransition();
  const focus = useReturnFocus();
  return (
    <Button
      disabled={pending}
      onClick={() => {
        focus.remember();
        start(async () => {
          const state = await withStepUp(() => issueRequestedKeyAction(slug, request.id));
          if (state.ok && state.data) onCreated(state.data, focus);
          else if (state.message) toast.error(state.message);
        });
      }}
    >
      {pending ? "Creating…" : ACTIONS.createKey}
    </Button>
  );
}

/** The secret of a key created from a request, shown once; it lives above the list so a refresh keeps it. */
function IssuedSecretDialog({ created, onClose, onCloseAutoFocus, origin }: { created: CreatedKey | null; onClose: () => void; onCloseAutoFocus?: (e: Event) => void; origin: string }) {
  return (
    <SecretDialog open={created !== null} onClose={onClose} onCloseAutoFocus={onCloseAutoFocus} className="sm:max-w-xl">
      {(controls) =>
        created && (
          <SecretShown onShown={controls.secretShown}>
            <NewKeyView
              title="Save your API key"
              description={`“${created.name}” is ready. Use it as a Bearer token in the Authorization header.`}
              secret={created.secret}
              origin={origin}
              controls={controls}
            />
          </SecretShown>
        )
      }
    </SecretDialog>
  );
}

function SecretShown({ onShown, children }: { onShown: () => void; children: React.ReactNode }) {
  const shown = useRef(false);
  useEffect(() => {
    if (!shown.current) {
      shown.current = true;
      onShown();
    }
  }, [onShown]);
  return <>{children}</>;
}

function Section({ id, title, empty, hint, children }: { id: string; title: string; empty: string; hint?: string; children: React.ReactNode[] }) {
  return (
    <section aria-labelledby={id} className="grid gap-3">
      <div>
        <h2 id={id} className="text-lg font-semibold">
          {title}
        </h2>
        {hint && <p className="text-sm text-muted-foreground">{hint}</p>}
      </div>
      {children.length > 0 ? <ul className="grid gap-3">{children}</ul> : <p className="rounded-lg border border-dashed p-6 text-center text-sm text-muted-foreground">{empty}</p>}
    </section>
  );
}

/**
 * The Requests page. Admins and owners: the pending requests, oldest first, with Approve and Deny
 * (never on their own), then the history. Everyone else: their own requests, with Cancel while
 * pending and Create key once approved.
 */
export function KeyRequests({
  slug,
  admin,
  pending,
  history,
  origin,
}: {
  slug: string;
  admin: boolean;
  pending: RequestView[];
  history: RequestView[];
  origin: string;
}) {
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [focus, setFocus] = useState<ReturnType<typeof useReturnFocus> | null>(null);
  const onCreated = (key: CreatedKey, from: ReturnType<typeof useReturnFocus>) => {
    setFocus(from);
    setCreated(key);
  };
  const controls = (r: RequestView) => (
    <>
      {admin && !r.mine && r.status === "pending" && (
        <>
          <DecisionButton slug={slug} request={r} decision="approve" />
          <DecisionButton slug={slug} request={r} decision="deny" />
        </>
      )}
      {r.mine && r.status === "pending" && <CancelButton slug={slug} request={r} />}
      {r.mine && r.status === "approved" && <CreateFromRequest slug={slug} request={r} onCreated={onCreated} />}
    </>
  );
  const item = (r: RequestView) => {
    const hasControls = (admin && !r.mine && r.status === "pending") || (r.mine && (r.status === "pending" || r.status === "approved"));
    return (
      <RequestItem key={r.id} request={r}>
        {hasControls ? controls(r) : undefined}
      </RequestItem>
    );
  };
  return (
    <div className="grid gap-8">
      <IssuedSecretDialog created={created} onClose={() => setCreated(null)} onCloseAutoFocus={focus?.onCloseAutoFocus} origin={origin} />
      <Section
        id="pending-requests-heading"
        title={admin ? "Waiting for a decision" : "Your pending requests"}
        hint={admin ? "Oldest first. You cannot decide your own requests." : "A team admin or owner approves or denies each request."}
        empty={admin ? "No requests are waiting." : "You have no pending requests. Keys the team's policy puts behind approval are requested from the API Keys page."}
      >
        {pending.map(item)}
      </Section>
      <Section
        id="request-history-heading"
        title={admin ? "History" : "Your decided requests"}
        empty={admin ? "No request has been decided yet." : "None of your requests has been decided yet."}
      >
        {history.map(item)}
      </Section>
    </div>
  );
}
