import { Badge } from "@/components/ui/badge";
import { STATUS_LABELS, type KeyStatus } from "@/lib/keys/status";

const VARIANTS = {
  active: "success",
  expiring_soon: "warning",
  rotation_due: "warning",
  expired: "secondary",
  revoked: "destructive",
} as const;

/** A key's status; `deleted` for a key its owner deleted (revoked, kept for the audit trail). */
export function StatusBadge({ status, deleted }: { status: KeyStatus; deleted?: boolean }) {
  if (deleted) return <Badge variant="secondary">Deleted</Badge>;
  return <Badge variant={VARIANTS[status]}>{STATUS_LABELS[status]}</Badge>;
}
