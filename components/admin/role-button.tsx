"use client";

import { withStepUp } from "@/components/auth/step-up";
import { setUserRoleAction } from "@/app/(dashboard)/admin/actions";
import { ConfirmButton } from "@/components/forms/confirm-button";

/** Changes a user's role after a confirmation that says what the change gives or takes away. */
export function RoleButton({ userId, email, role }: { userId: string; email: string; role: "admin" | "member" }) {
  const next = role === "admin" ? "member" : "admin";
  const label = next === "admin" ? "Make admin" : "Make member";
  return (
    <ConfirmButton
      label={label}
      name={`${label}: ${email}`}
      title={next === "admin" ? `Make ${email} an administrator?` : `Make ${email} a member?`}
      description={
        next === "admin"
          ? "Administrators see every key and the audit log, revoke anyone's keys, sign people out and change roles. It applies on their next request."
          : "They lose the admin pages on their next request. Their own keys keep working."
      }
      destructive={next !== "admin"}
      openerClassName=""
      run={() => withStepUp(() => setUserRoleAction({ userId, role: next }))}
      failure="The role could not be changed. Try again."
    />
  );
}
