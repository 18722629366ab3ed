"use client";

// The wizard's dry run (previewAction), polled until it has ended.
import { previewAction } from "@/lib/actions/uploads";
import type { Preview } from "@/lib/imports/preview";
import { Refused, usePoll } from "@/components/use-poll";

async function readPreview(id: string): Promise<Preview> {
  const r = await previewAction(id);
  if (!r.ok) throw new Refused(r.error.message);
  return r.data;
}

export function usePreview(id: string | null): { preview: Preview | null; error: string | null } {
  const { data, error } = usePoll({
    key: id === null ? null : ["preview", id],
    read: () => readPreview(id!),
    again: (p) => p.job.status === "running",
  });
  return { preview: data ?? null, error };
}
