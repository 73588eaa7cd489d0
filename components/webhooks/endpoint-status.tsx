import { Badge } from "@/components/ui/badge";

/** An endpoint's state in a word: enabled, failing (deliveries failing, still tried), or disabled. */
export function EndpointStatus({ endpoint }: { endpoint: { disabledAt: Date | null; failingSince: Date | null } }) {
  if (endpoint.disabledAt) return <Badge variant="destructive">Disabled</Badge>;
  if (endpoint.failingSince) return <Badge variant="warning">Failing</Badge>;
  return <Badge variant="success">Enabled</Badge>;
}
