"use client";

import type { ComponentProps } from "react";
import { useHydrated } from "@/components/use-hydrated";

/**
 * A button whose handler lives in React: disabled in the server's HTML and
 * until hydration attaches its handler, so an early click (a user's on a slow
 * machine, or a test's) waits instead of being lost, and a form cannot be
 * submitted natively (as a GET carrying its fields) before its handler runs.
 */
export function ActionButton({ disabled, type = "button", ...props }: ComponentProps<"button">) {
  const hydrated = useHydrated();
  return <button type={type} disabled={!hydrated || disabled} {...props} />;
}
