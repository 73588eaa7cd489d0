"use client";

import { CheckIcon, ChevronsUpDownIcon, PlusIcon, UserIcon, UsersIcon } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { PLACES } from "@/lib/glossary";
import { teamHome, type TeamChoice } from "./team-links";

/** The team a dashboard path is about (`/t/<slug>/…`), or null for the personal context. */
export function teamSlugOfPath(pathname: string): string | null {
  const m = /^\/t\/([^/]+)/.exec(pathname);
  return m && m[1] !== "new" ? decodeURIComponent(m[1]!) : null;
}

/**
 * Personal or one of the user's teams: the context the page's URL is in, so a link shared with a
 * teammate opens the same one. A Radix menu like the user menu (arrow keys, Enter, Escape).
 */
export function TeamSwitcher({ teams }: { teams: TeamChoice[] }) {
  const pathname = usePathname();
  const slug = teamSlugOfPath(pathname);
  const current = slug ? teams.find((t) => t.slug === slug) : undefined;
  const label = current ? current.name : "Personal";
  return (
    // Not modal: a modal menu hides the rest of the page with aria-hidden while its links stay
    // focusable (axe: aria-hidden-focus); focus still moves into the menu and Escape returns it.
    <DropdownMenu modal={false}>
      <DropdownMenuTrigger className="flex w-full min-w-0 items-center gap-2 rounded-md border bg-background px-2 py-1.5 text-left text-sm outline-none hover:bg-accent focus-visible:ring-[3px] focus-visible:ring-ring">
        {current ? <UsersIcon className="size-4 shrink-0" aria-hidden /> : <UserIcon className="size-4 shrink-0" aria-hidden />}
        <span className="sr-only">Context: </span>
        <span className="min-w-0 flex-1 truncate font-medium max-sm:max-w-28">{label}</span>
        <ChevronsUpDownIcon className="size-4 shrink-0 text-muted-foreground" aria-hidden />
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-64 max-w-[calc(100vw-1rem)]">
        <DropdownMenuItem asChild>
          <Link href="/settings/api-keys" aria-current={current ? undefined : "page"}>
            <UserIcon aria-hidden />
            <span className="flex-1">Personal</span>
            {!current && <CheckIcon aria-hidden />}
          </Link>
        </DropdownMenuItem>
        {teams.length > 0 && (
          <>
            <DropdownMenuSeparator />
            <DropdownMenuLabel className="text-xs font-normal text-muted-foreground">Teams</DropdownMenuLabel>
            {teams.map((team) => (
              <DropdownMenuItem key={team.slug} asChild>
                <Link href={teamHome(team.slug)} aria-current={current?.slug === team.slug ? "page" : undefined}>
                  <UsersIcon aria-hidden />
                  <span className="min-w-0 flex-1 truncate">{team.name}</span>
                  {current?.slug === team.slug && <CheckIcon aria-hidden />}
                </Link>
              </DropdownMenuItem>
            ))}
          </>
        )}
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/t/new">
            <PlusIcon aria-hidden /> {PLACES.createTeam}
          </Link>
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
