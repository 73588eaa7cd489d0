import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div className="grid gap-6" aria-busy="true" aria-label="Loading API keys">
      <Skeleton className="h-12 w-full max-w-2xl" />
      <Skeleton className="h-64 w-full" />
    </div>
  );
}
