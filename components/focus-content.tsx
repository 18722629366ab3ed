"use client";

import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";

/**
 * After a client-side navigation that removed the focused control (Start
 * import → the import's page), the browser would keep Tab's starting point
 * where that control was, somewhere in the middle of the new page. Focus
 * the page's content instead, so the next Tab starts at its top. Not on a
 * full page load: there the first Tab must still reach the skip link.
 */
export function FocusContent() {
  const pathname = usePathname();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) return void (first.current = false);
    if (document.activeElement && document.activeElement !== document.body) return;
    document.getElementById("content")?.focus({ preventScroll: true });
  }, [pathname]);
  return null;
}
