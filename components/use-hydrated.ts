import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/**
 * False in the server's HTML and during hydration, true once React runs the
 * page in the browser: forms mark themselves ready with it, so e2e tests (and
 * users' clicks) never meet a form whose handlers are not attached yet.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}
