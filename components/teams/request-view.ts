// A key request as the Requests page shows it: plain values, dates already in the viewer's zone.
import type { KeyRequestStatus } from "@/db/queries/key-requests";

export type RequestView = {
  id: string;
  name: string;
  description: string | null;
  justification: string | null;
  access: string;
  expires: string;
  /** The addresses the key will accept requests from; null: any. */
  allowedIps: string[] | null;
  status: KeyRequestStatus;
  requester: { name: string; email: string };
  requestedAt: string;
  decider: { name: string; email: string } | null;
  decidedAt: string | null;
  reason: string | null;
  /** The viewer asked for it. */
  mine: boolean;
};

export const STATUS_WORDS: Record<KeyRequestStatus, string> = {
  pending: "Waiting for approval",
  approved: "Approved: create the key",
  denied: "Denied",
  cancelled: "Cancelled",
  issued: "Key created",
};
