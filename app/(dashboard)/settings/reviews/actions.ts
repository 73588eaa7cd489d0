"use server";

// Settings -> Access reviews ("Review your keys"): a thin adapter over lib/commands/access-reviews.ts.
import { revalidatePath } from "next/cache";
import { withUser } from "@/lib/action";
import type { ActionState } from "@/lib/action-state";
import { answerReviewItem } from "@/lib/commands/access-reviews";

/** An answer for one key of a review: still needed, or revoked now. */
export async function answerReviewItemAction(input: { reviewId: string; keyId: string; decision: string }): Promise<ActionState> {
  return withUser("answerReviewItem", async ({ db, actor }) => {
    const { keyName, decision } = await answerReviewItem(db, actor, input);
    revalidatePath("/", "layout");
    return { ok: true, message: decision === "confirmed" ? `Confirmed: “${keyName}” is still needed.` : `Revoked “${keyName}”: it stopped working.` };
  });
}
