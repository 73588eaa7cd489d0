"use server";

import { revalidatePath } from "next/cache";
import { adminRevokeKeys } from "@/db/queries/admin-keys";
import { setUserRole } from "@/db/queries/admin-users";
import { endSessions } from "@/db/queries/users";
import { parseInput, withAdmin } from "@/lib/action";
import type { ActionState } from "@/lib/action-state";
import { endSessionsInput, revokeKeysInput, roleInput } from "@/lib/validation/admin.schema";

/** Revokes any users' keys with a reason the owners will see. Admins only (members: not found). */
export async function adminRevokeKeysAction(raw: unknown): Promise<ActionState<{ revoked: number }>> {
  return withAdmin("adminRevokeKeys", async ({ user, db, context }) => {
    const input = parseInput(revokeKeysInput, raw);
    const revoked = await adminRevokeKeys(db, user.id, input.ids, input.reason, context);
    revalidatePath("/admin", "layout");
    return {
      ok: true,
      data: { revoked },
      message: revoked === 1 ? "1 key revoked. Its owner sees your reason." : `${revoked} keys revoked. Their owners see your reason.`,
    };
  });
}

/** Promotes or demotes a user; the last admin cannot be demoted. */
export async function setUserRoleAction(raw: unknown): Promise<ActionState> {
  return withAdmin("setUserRole", async ({ user, db, context }) => {
    const input = parseInput(roleInput, raw);
    const updated = await setUserRole(db, user.id, input.userId, input.role, context);
    revalidatePath("/admin/users");
    return { ok: true, message: `${updated.email} is now ${input.role === "admin" ? "an admin" : "a member"}.` };
  });
}

/** Signs a user out of every browser at once (a lost laptop, a departing colleague). Their keys keep working. */
export async function endUserSessionsAction(raw: unknown): Promise<ActionState> {
  return withAdmin("endUserSessions", async ({ user, db, context }) => {
    const input = parseInput(endSessionsInput, raw);
    const { email } = await endSessions(db, input.userId, context, user.id);
    return { ok: true, message: `${email} is signed out everywhere. Their API keys are unaffected.` };
  });
}
