import { Badge } from "@/components/ui/badge";
import { STATUS_LABELS, type KeyStatus } from "@/lib/keys/status";

const VARIANTS = {
  active: "success",
  expiring_soon: "warning",
  rotation_due: "warning",
  expired: "secondary",
  revoked: "destructive",
} as const;

export function StatusBadge({ status }: { status: KeyStatus }) {
  return <Badge variant={VARIANTS[status]}>{STATUS_LABELS[status]}</Badge>;
}
