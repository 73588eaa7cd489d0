import { z } from "zod";
import { TEAM_ROLES } from "../teams/roles";
import { TEAM_SLUG_MAX, TEAM_SLUG_MIN, TEAM_SLUG_PATTERN } from "../teams/slug";
import { emailSchema } from "./auth.schema";
import { plainText } from "./common";

// The fields of the team forms (lib/commands/teams.ts parses every input with these on the server).

export const TEAM_NAME_MAX = 100;

export const teamNameSchema = plainText("Team name", TEAM_NAME_MAX, { required: "Enter a team name." });

export const teamSlugSchema = z
  .string({ error: "Enter the team's address." })
  .trim()
  .min(TEAM_SLUG_MIN, `The address needs at least ${TEAM_SLUG_MIN} characters.`)
  .max(TEAM_SLUG_MAX, `The address can have at most ${TEAM_SLUG_MAX} characters.`)
  .regex(TEAM_SLUG_PATTERN, "Use lower-case letters, digits and hyphens only, not starting or ending with a hyphen.");

export const teamRoleSchema = z.enum(TEAM_ROLES, { error: "Choose a role: owner, admin, developer or viewer." });

export const createTeamSchema = z.object({ name: teamNameSchema, slug: teamSlugSchema });
export const renameTeamSchema = z.object({ name: teamNameSchema });
export const addMemberSchema = z.object({ email: emailSchema, role: teamRoleSchema });
export const changeMemberRoleSchema = z.object({ userId: z.uuid({ error: "Not a valid member." }), role: teamRoleSchema });
export const memberTargetSchema = z.object({ userId: z.uuid({ error: "Not a valid member." }) });
export const transferOwnershipSchema = z.object({
  userId: z.uuid({ error: "Not a valid member." }),
  /** The current owner becomes an admin in the same change. */
  stepDown: z.boolean().default(false),
});
export const deleteTeamSchema = z.object({ confirmSlug: z.string({ error: "Type the team's address to confirm." }).trim().max(100) });

export type CreateTeamInput = z.input<typeof createTeamSchema>;
