import { NotFoundMessage } from "@/components/layout/not-found-message";

export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-4 p-6 text-center">
      <NotFoundMessage />
    </main>
  );
}
