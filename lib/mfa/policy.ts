// Who must have a second factor: the deployment's policy (Admin -> Settings), as a pure rule.
// Applied to sessions in lib/session.ts (pages) and lib/action.ts (server actions), and to the
// admin who changes it in lib/commands/second-factor.ts.

export const MFA_POLICIES = ["optional", "admins", "everyone"] as const;
export type MfaPolicy = (typeof MFA_POLICIES)[number];

export const MFA_POLICY_LABELS: Record<MfaPolicy, string> = {
  optional: "Optional: each person chooses",
  admins: "Required for administrators",
  everyone: "Required for everyone",
};

/** Whether the policy requires a second factor of someone with this role. */
export function mfaRequired(policy: MfaPolicy, role: "admin" | "member"): boolean {
  return policy === "everyone" || (policy === "admins" && role === "admin");
}

/** Whether this user must set up a second factor (a passkey or an authenticator app) before anything else. */
export function mustSetUpSecondFactor(policy: MfaPolicy, user: { role: "admin" | "member"; hasSecondFactor: boolean }): boolean {
  return mfaRequired(policy, user.role) && !user.hasSecondFactor;
}

/**
 * Why an admin may not set this policy, or null. An admin without a second factor cannot make one
 * required of admins (themselves): they would be sent to set-up at once, and a policy that could
 * lock out the person setting it is a trap. They set up their own factor first.
 */
export function policyChangeRefusal(next: MfaPolicy, admin: { hasSecondFactor: boolean }): "own_second_factor_missing" | null {
  return next !== "optional" && !admin.hasSecondFactor ? "own_second_factor_missing" : null;
}

/**
 * Whether the policy lets a user give up a second factor (turn the app off, remove a passkey),
 * given how many factors they would have left (the app counts one, each passkey one): always when
 * the policy does not cover them, otherwise only while another factor remains. Someone who lost
 * their last device asks an administrator to reset their factors.
 */
export function mayDisableSecondFactor(policy: MfaPolicy, role: "admin" | "member", factorsLeft: number): boolean {
  return !mfaRequired(policy, role) || factorsLeft > 0;
}
