"use client";

// The members list for the page's controls: one request per change of the
// parameters or the page, the one before it cancelled (react-query aborts a
// query's signal once nothing shows it), the last list kept on screen until
// the new one arrives. Pages go by the keyset cursor the server gives; the
// cursors of the pages before are kept here, for "Previous page".
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { MemberList } from "@/lib/targets/list-members";
import { Refused } from "@/components/use-poll";

async function readList(params: string, cursor: string | null, signal: AbortSignal): Promise<MemberList> {
  const p = new URLSearchParams(params);
  if (cursor) p.set("cursor", cursor);
  const r = await fetch(`/members.json?${p}`, { cache: "no-store", signal });
  // signed out: the proxy sends the request to the sign-in page
  if (r.redirected) throw new Refused("Your session has ended: sign in again");
  if (r.ok) return r.json();
  const message = (await r.json().catch(() => null))?.error?.message;
  throw typeof message === "string" ? new Refused(message) : new Error(`HTTP ${r.status}`);
}

export type MembersState = {
  list: MemberList | undefined;
  /** Showing the last list while the one asked for loads. */
  busy: boolean;
  error: string | null;
  /** 1-based. */
  page: number;
  next: (() => void) | null;
  previous: (() => void) | null;
};

/** `params`: the page's URL parameters without a cursor; `initial`: the list the server rendered for them. */
export function useMembers(params: string, initial: { params: string; list: MemberList | null }): MembersState {
  // the cursors of the pages so far, for these parameters only: new ones start at the first page
  const [stack, setStack] = useState<{ of: string; cursors: (string | null)[] }>({ of: params, cursors: [null] });
  const cursors = stack.of === params ? stack.cursors : [null];
  const cursor = cursors[cursors.length - 1];
  const q = useQuery({
    queryKey: ["members", params, cursor],
    queryFn: ({ signal }) => readList(params, cursor, signal),
    initialData: params === initial.params && cursor === null ? (initial.list ?? undefined) : undefined,
    placeholderData: keepPreviousData,
    // the server's first page is fresh: not read again as the page starts
    refetchOnMount: false,
    refetchOnWindowFocus: false,
    retry: (count, e) => !(e instanceof Refused) && count < 2,
  });
  const nextCursor = q.isPlaceholderData ? null : (q.data?.next ?? null);
  return {
    list: q.data,
    busy: q.isFetching,
    error: q.error ? (q.error instanceof Refused ? q.error.message : `The list could not be read (${q.error.message})`) : null,
    page: cursors.length,
    next: nextCursor ? () => setStack({ of: params, cursors: [...cursors, nextCursor] }) : null,
    previous: cursors.length > 1 ? () => setStack({ of: params, cursors: cursors.slice(0, -1) }) : null,
  };
}
