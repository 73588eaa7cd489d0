"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";

/** A link that marks itself current (aria-current) when the path is at or below `match` (or one of them). */
export function NavLink({
  href,
  match = href,
  exact = false,
  className,
  activeClassName,
  children,
}: {
  href: string;
  match?: string | string[];
  /** Current only on exactly this path (for index tabs like /admin). */
  exact?: boolean;
  className?: string;
  activeClassName?: string;
  children: React.ReactNode;
}) {
  const pathname = usePathname();
  const prefixes = Array.isArray(match) ? match : [match];
  const active = exact ? pathname === href : prefixes.some((m) => pathname === m || pathname.startsWith(`${m}/`));
  return (
    <Link href={href} aria-current={active ? "page" : undefined} className={cn(className, active && activeClassName)}>
      {children}
    </Link>
  );
}
