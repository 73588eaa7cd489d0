import { z } from "zod";
import { allowedIpsList } from "./allowed-ips";
import { policy as deploymentPolicy } from "../policy";
import { ALL_SCOPES, isScope, normalizeScopes, type Scope } from "../scopes";
import { TEAM_LIFETIME_MAX, TEAM_LIFETIME_MIN } from "../teams/access";
import { DESCRIPTION_MAX } from "./api-key.limits";
import { keyNameSchema } from "./api-key.schema";
import { plainText } from "./common";
import { DECISION_REASON_MAX, JUSTIFICATION_MAX } from "./team-policy.limits";

// The team policy form and the key request forms (lib/commands/team-policy.ts and
// lib/commands/key-requests.ts parse every input with these on the server).

export { DECISION_REASON_MAX, JUSTIFICATION_MAX } from "./team-policy.limits";

const accessSchema = z.enum(["read_only", "restricted", "full"], { error: "Choose an access level." });

/**
 * The team's policy. A maximum lifetime above the deployment's is refused (a team can only
 * tighten the deployment's policy); developer scopes are real scopes, at least one, stored
 * normalised (write implies read), or null for every scope.
 */
export function teamPolicySchema(deploymentMaxDays: number | null = deploymentPolicy.maxLifetimeDays) {
  return z
    .object({
      maxLifetimeDays: z
        .number({ error: "Enter a whole number of days, or choose the deployment's maximum." })
        .int("Enter a whole number of days.")
        .min(TEAM_LIFETIME_MIN, `Enter at least ${TEAM_LIFETIME_MIN} day.`)
        .max(TEAM_LIFETIME_MAX, `Enter at most ${TEAM_LIFETIME_MAX} days.`)
        .nullable(),
      requireExpiry: z.boolean({ error: "Choose whether keys must expire." }),
      developerScopes: z
        .array(z.string().max(64), { error: "Choose the scopes developers may grant." })
        .max(ALL_SCOPES.length * 2, "Too many scopes.")
        .nullable(),
      approvalFrom: accessSchema.nullable(),
      ipsRequiredForFull: z.boolean({ error: "Choose whether Full-access keys need an IP allowlist." }),
    })
    .strict()
    .superRefine((v, ctx) => {
      if (v.maxLifetimeDays !== null && deploymentMaxDays !== null && v.maxLifetimeDays > deploymentMaxDays) {
        ctx.addIssue({
          code: "custom",
          path: ["maxLifetimeDays"],
          message: `The deployment allows at most ${deploymentMaxDays} days: a team can only shorten it.`,
        });
      }
      if (v.developerScopes) {
        const unknown = v.developerScopes.filter((s) => !isScope(s));
        if (unknown.length > 0) ctx.addIssue({ code: "custom", path: ["developerScopes"], message: `Unknown scope “${unknown[0]}”.` });
        else if (v.developerScopes.length === 0) {
          ctx.addIssue({ code: "custom", path: ["developerScopes"], message: "Choose at least one scope developers may grant, or allow every scope." });
        }
      }
    })
    .transform((v) => ({ ...v, developerScopes: v.developerScopes && normalizeScopes(v.developerScopes as Scope[]).scopes }));
}

export type TeamPolicyInput = z.input<ReturnType<typeof teamPolicySchema>>;

/** A developer's request: what the key will be (as the create form resolves it), and why. */
export const keyRequestSchema = z
  .object({
    name: keyNameSchema,
    description: plainText("Description", DESCRIPTION_MAX).nullish(),
    access: accessSchema.optional(),
    scopes: z
      .array(z.string().max(64))
      .max(ALL_SCOPES.length * 2)
      .superRefine((scopes, ctx) => {
        const unknown = scopes.filter((s) => !isScope(s));
        if (unknown.length > 0) ctx.addIssue({ code: "custom", message: `Unknown scope “${unknown[0]}”.` });
        else if (scopes.length === 0) ctx.addIssue({ code: "custom", message: "Choose what the key may do." });
      }),
    expiresAt: z.date({ error: "Choose when the key expires." }).nullable(),
    // The dialog's allowed IPs, already canonical (api-key.schema.ts), checked again: a request is
    // the key it will become.
    allowedIps: allowedIpsList.optional(),
    justification: plainText("Justification", JUSTIFICATION_MAX).nullish(),
  })
  .strict();

export const requestTargetSchema = z.object({ requestId: z.uuid({ error: "Not a valid request." }) });

export const approveRequestSchema = requestTargetSchema.extend({ reason: plainText("Reason", DECISION_REASON_MAX).nullish() });
export const denyRequestSchema = requestTargetSchema.extend({
  reason: plainText("Reason", DECISION_REASON_MAX, { required: "Give a reason for the denial: the requester will read it." }),
});
