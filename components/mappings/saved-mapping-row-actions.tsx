"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { deleteSavedMappingAction, renameSavedMappingAction } from "@/lib/actions/saved-mappings";
import { NameForm } from "./name-form";
import { ActionButton } from "@/components/action-button";

/** Rename… and Delete… for one saved mapping on /mappings (shown to its author and admins only). */
export function SavedMappingRowActions({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [mode, setMode] = useState<"rename" | "delete" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const renameRef = useRef<HTMLButtonElement>(null);
  const close = () => {
    setMode(null);
    requestAnimationFrame(() => renameRef.current?.focus());
  };
  return (
    <>
      <ActionButton ref={renameRef} onClick={() => setMode("rename")} aria-label={`Rename “${name}”`}>
        Rename
      </ActionButton>{" "}
      <ActionButton onClick={() => setMode("delete")} aria-label={`Delete “${name}”`}>
        Delete
      </ActionButton>
      {mode === "rename" && (
        <NameForm
          label={`Rename “${name}”`}
          submit="Rename"
          initial={name}
          onCancel={close}
          onSubmit={async (next) => {
            const r = await renameSavedMappingAction({ id, name: next });
            if (!r.ok) return r.error.message;
            setMode(null);
            router.refresh();
            return null;
          }}
        />
      )}
      {mode === "delete" && (
        <div className="inline-form" role="group" aria-label={`Delete “${name}”`}>
          <span>Delete “{name}” for everyone?</span>
          <button
            type="button"
            className="danger"
            autoFocus
            onClick={async () => {
              const r = await deleteSavedMappingAction({ id });
              if (!r.ok) return setError(r.error.message);
              setMode(null);
              router.refresh();
            }}
          >
            Delete it
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </div>
      )}
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
