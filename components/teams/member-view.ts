import type { TeamRole } from "@/lib/teams/roles";

// What the members page hands its client components for one member (plain data).
export type MemberView = { userId: string; name: string; email: string; role: TeamRole; addedAt: string };

/** The roles `actor` may give another member whose role is `target` (lib/teams/roles.ts decides). */
export type RoleChoices = TeamRole[];
