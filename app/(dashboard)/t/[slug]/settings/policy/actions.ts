"use server";

// The team policy page's server action: a thin adapter over changeTeamPolicy (lib/commands/team-policy.ts),
// which validates the policy and re-reads the caller's membership, locked, in the transaction that
// changes it. The slug comes from the page as the first argument, as untrusted as the rest.
import { revalidatePath } from "next/cache";
import { withUser } from "@/lib/action";
import type { ActionState } from "@/lib/action-state";
import { changeTeamPolicy } from "@/lib/commands/team-policy";

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : undefined;
};

/** The form's fields as the command's input: a number of days (or the deployment's maximum), scopes (or every scope). */
function policyFormValues(form: FormData): Record<string, unknown> {
  const days = text(form, "maxLifetimeDays")?.trim() ?? "";
  const approval = text(form, "approvalFrom");
  return {
    maxLifetimeDays: text(form, "lifetime") === "deployment" ? null : /^\d{1,6}$/.test(days) ? Number(days) : days,
    requireExpiry: form.get("requireExpiry") === "on",
    developerScopes: text(form, "developerScopesMode") === "all" ? null : form.getAll("developerScopes").filter((v): v is string => typeof v === "string"),
    approvalFrom: approval === "none" || approval === undefined ? null : approval,
    ipsRequiredForFull: form.get("ipsRequiredForFull") === "on",
  };
}

export async function changeTeamPolicyAction(slug: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  return withUser("changeTeamPolicy", async ({ db, actor }) => {
    await changeTeamPolicy(db, actor, slug, policyFormValues(form));
    revalidatePath(`/t/${String(slug)}`, "layout");
    return { ok: true, message: "The team's key policy was saved. It applies to keys created or changed from now on." };
  });
}
