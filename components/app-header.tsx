import Link from "next/link";
import type { StaffUser } from "@/lib/auth/staff-session";
import { NavLink } from "./nav-link";
import { signOutAction } from "@/lib/actions/sign-out";

/** The pages only admins reach, in the header's order. */
const ADMIN_LINKS = [
  ["/tokens", "API tokens"],
  ["/staff", "Staff"],
  ["/audit", "Audit log"],
  ["/settings", "Settings"],
] as const;

/** The admin app's header: where you are, who you are, and the way out. Admin-only pages are linked for admins only. */
export function AppHeader({ user }: { user: StaffUser }) {
  return (
    <header className="app-header">
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <div className="app-header-inner">
        <Link href="/imports" className="brand">
          Target import
        </Link>
        <nav aria-label="Main">
          {/* A user with a step to finish reaches /account only (lib/auth/staff-session.ts): no other page is offered. */}
          {user.pending ? (
            <ul>
              <li>
                <NavLink href="/account">Your account</NavLink>
              </li>
            </ul>
          ) : (
          <ul>
            <li>
              {/* The list and each import's page; "New import" has its own link. */}
              <NavLink href="/imports" except="/imports/new">
                Imports
              </NavLink>
            </li>
            <li>
              <NavLink href="/imports/new">New import</NavLink>
            </li>
            <li>
              <NavLink href="/members">Members</NavLink>
            </li>
            <li>
              <NavLink href="/fields">Fields</NavLink>
            </li>
            <li>
              <NavLink href="/mappings">Mappings</NavLink>
            </li>
            {user.role === "admin" &&
              ADMIN_LINKS.map(([href, label]) => (
                <li key={href}>
                  <NavLink href={href}>{label}</NavLink>
                </li>
              ))}
            <li>
              <NavLink href="/account">Your account</NavLink>
            </li>
          </ul>
          )}
        </nav>
        <div className="account">
          <span className="who">
            <span className="email">{user.email}</span>
            {user.role === "admin" && <span className="role">admin</span>}
          </span>
          <form action={signOutAction}>
            <button type="submit" className="secondary">
              Sign out
            </button>
          </form>
        </div>
      </div>
    </header>
  );
}
