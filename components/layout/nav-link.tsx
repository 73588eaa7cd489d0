"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";

/** A link that marks itself current (aria-current) when the path is at or below `match`. */
export function NavLink({
  href,
  match = href,
  exact = false,
  className,
  activeClassName,
  children,
}: {
  href: string;
  match?: string;
  /** Current only on exactly this path (for index tabs like /admin). */
  exact?: boolean;
  className?: string;
  activeClassName?: string;
  children: React.ReactNode;
}) {
  const pathname = usePathname();
  const active = exact ? pathname === href : pathname === match || pathname.startsWith(`${match}/`);
  return (
    <Link href={href} aria-current={active ? "page" : undefined} className={cn(className, active && activeClassName)}>
      {children}
    </Link>
  );
}
