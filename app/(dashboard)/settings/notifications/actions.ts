"use server";

// Settings -> Notifications: thin adapters over lib/commands/notifications.ts.
import { revalidatePath } from "next/cache";
import { withUser } from "@/lib/action";
import type { ActionState } from "@/lib/action-state";
import { changeNotificationSettings, markRead } from "@/lib/commands/notifications";

const PAGE = "/settings/notifications";

/** Marks the signed-in person's notices read: `ids` (their own; others' are ignored), or "all". */
export async function markNotificationsReadAction(input: { ids: string[] | "all" }): Promise<ActionState<{ changed: number }>> {
  return withUser("markNotificationsRead", async ({ db, actor }) => {
    const { changed } = await markRead(db, actor, input);
    revalidatePath("/", "layout");
    return { ok: true, message: changed === 1 ? "Marked 1 notification as read." : `Marked ${changed} notifications as read.`, data: { changed } };
  });
}

/** Saves which kinds of notification are mailed (the checked boxes; the rest are turned off). */
export async function saveNotificationSettingsAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return withUser("saveNotificationSettings", async ({ db, actor }) => {
    await changeNotificationSettings(db, actor, { mail: form.getAll("mail").filter((v) => typeof v === "string") });
    revalidatePath(PAGE);
    return { ok: true, message: "Your mail choices are saved." };
  });
}
