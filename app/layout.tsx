import type { ReactNode } from "react";
import "./globals.css";

export const metadata = { title: "Target import" };
// Every page is rendered per request, so each gets the nonce of its
// Content-Security-Policy (proxy.ts); a prerendered page's scripts would
// carry none and be blocked.
export const dynamic = "force-dynamic";

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
