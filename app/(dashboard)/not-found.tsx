import { NotFoundMessage } from "@/components/layout/not-found-message";

// Inside the dashboard the frame already has the page's <main>: this one is a section of it, not
// a second main (app/not-found.tsx, for addresses outside the dashboard, brings its own).
export default function DashboardNotFound() {
  return (
    <section aria-labelledby="not-found-heading" className="flex flex-col items-center gap-4 py-16 text-center">
      <NotFoundMessage headingId="not-found-heading" />
    </section>
  );
}
