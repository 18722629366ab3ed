"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

/**
 * A header link marked as the current page (aria-current) for its own path
 * and the pages under it, except those under `except` (which have their own link).
 */
export function NavLink({ href, except, children }: { href: string; except?: string; children: ReactNode }) {
  const pathname = usePathname();
  const inside = pathname === href || pathname.startsWith(`${href}/`);
  const excluded = except !== undefined && (pathname === except || pathname.startsWith(`${except}/`));
  return (
    <Link href={href} aria-current={inside && !excluded ? "page" : undefined}>
      {children}
    </Link>
  );
}
