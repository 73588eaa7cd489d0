// Every audit action name the app writes, in one typed list.
export const AUDIT_ACTIONS = [
  "user.signed_up",
  "user.signed_in",
  "user.sign_in_failed",
  "user.signed_out",
  "user.sessions_ended",
  "user.profile_updated",
  "user.role_changed",
  "user.reset_requested",
  "user.reset_link_created",
  "user.password_reset",
  "user.email_change_requested",
  "user.email_changed",
  "user.password_changed",
  "user.password_change_failed",
  "user.reauthenticated",
  "user.reauthentication_failed",
  "user.suspended",
  "user.reinstated",
  "user.deleted",
  "invitation.created",
  "invitation.revoked",
  "invitation.accepted",
  "settings.sign_up_changed",
  "api_key.created",
  "api_key.revoked",
  "api_key.deleted",
  "api_key.renamed",
  "api_key.rescoped",
  "api_key.updated",
  "api_key.rotated",
  "api_key.reported_leaked",
  "api_key.admin_revoked",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who did it and from where; filled from the request by the caller. */
export type RequestContext = { ip: string | null; userAgent: string | null };
