"use client";

// Polls the wizard's dry run (previewAction) every second until it has
// ended; a network failure is retried on the next tick and shown meanwhile.
import { useEffect, useState } from "react";
import { previewAction } from "@/lib/actions/uploads";
import type { Preview } from "@/lib/imports/preview";

const POLL_MS = 1000;

export function usePreview(id: string | null): { preview: Preview | null; error: string | null } {
  const [state, setState] = useState<{ id: string | null; preview: Preview | null; error: string | null }>({ id, preview: null, error: null });
  useEffect(() => {
    if (!id) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      // again: still running, or the network failed (an answer refusing it is final)
      let next: { preview?: Preview; error: string | null; again: boolean };
      try {
        const r = await previewAction(id);
        next = r.ok ? { preview: r.data, error: null, again: r.data.job.status === "running" } : { error: r.error.message, again: false };
      } catch (e) {
        next = { error: `Could not refresh (${(e as Error).message}); retrying…`, again: true };
      }
      if (stopped) return;
      setState((s) => ({ id, preview: next.preview ?? (s.id === id ? s.preview : null), error: next.error }));
      if (next.again) timer = setTimeout(tick, POLL_MS);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id]);
  return state.id === id ? { preview: state.preview, error: state.error } : { preview: null, error: null };
}
