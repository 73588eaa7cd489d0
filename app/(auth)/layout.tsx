import { KeyRoundIcon } from "lucide-react";
import { TimeZoneSync } from "@/components/layout/time-zone-sync";

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-6 bg-muted/40 p-4">
      <div className="flex items-center gap-2 text-lg font-semibold">
        <KeyRoundIcon className="size-5" aria-hidden />
        Keysmith
      </div>
      <div className="w-full max-w-sm">{children}</div>
      <TimeZoneSync />
    </main>
  );
}
