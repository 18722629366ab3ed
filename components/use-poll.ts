"use client";

// The one poller of a deferred result (the wizard's dry run, an import's
// page): read at once, then every second while `again` says it is still
// running. A read that fails on the network is tried again every second and
// said meanwhile; an answer from the app refusing it (Refused) is final.
import { useQuery } from "@tanstack/react-query";

const POLL_MS = 1000;

/** The app answered, refusing the read: trying again would not help. */
export class Refused extends Error {}

export function usePoll<T>(opts: {
  /** null: nothing to read (yet). */
  key: readonly unknown[] | null;
  read: () => Promise<T>;
  again: (data: T) => boolean;
  /** What the page was rendered with. */
  initial?: T;
}): { data: T | undefined; error: string | null } {
  const q = useQuery({
    queryKey: opts.key ?? ["nothing"],
    queryFn: opts.read,
    enabled: opts.key !== null,
    initialData: opts.initial,
    // only the interval reads again: not a focus, a remount or a stale mark
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: (_, e) => !(e instanceof Refused),
    retryDelay: POLL_MS,
    refetchInterval: (query) => {
      const data = query.state.data;
      return data !== undefined && !(query.state.error instanceof Refused) && opts.again(data) ? POLL_MS : false;
    },
  });
  const failure = q.error ?? q.failureReason;
  const error = !failure ? null : failure instanceof Refused ? failure.message : `Could not refresh (${failure.message}); retrying…`;
  return { data: opts.key === null ? undefined : q.data, error };
}
