import { z } from "zod";
import { NOTIFICATION_KINDS } from "../notifications/kinds";

/** Mark these notices read (at most a page of them), or every one. */
export const markReadInput = z.strictObject({
  ids: z.union([z.literal("all"), z.array(z.uuid()).min(1).max(100)]),
});

/** The kinds to get by mail (each kind at most once; the rest are turned off). */
export const notificationSettingsInput = z.strictObject({
  mail: z
    .array(z.enum(NOTIFICATION_KINDS))
    .max(NOTIFICATION_KINDS.length)
    .refine((kinds) => new Set(kinds).size === kinds.length, "Each kind at most once."),
});
