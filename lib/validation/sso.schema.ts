import { z } from "zod";

/** Admin -> Settings: "Only single sign-on" is a checkbox: "on" when ticked, absent when not. */
export const ssoOnlySchema = z.object({
  ssoOnly: z
    .enum(["on"], { error: "Tick the box or leave it clear." })
    .optional()
    .transform((v) => v === "on"),
});
