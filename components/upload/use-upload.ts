"use client";

// Sends a checked file: begin (the settings), the pieces of rows, finish.
//
// Pieces are cut by size, about 2 MB of JSON each (piece-cutter.ts): a
// 1M-row file of six short columns is ~50 pieces of ~20,000 rows, so each
// request's fixed costs (session check, transaction, round trip) hardly
// count, while wide rows stay far below the 8 MB body limit and the progress
// bar moves. Smaller pieces send a large file markedly slower, larger ones
// barely faster (docs/performance.md, "The wizard").
//
// Up to 3 pieces are in flight at once (the server stores them in any
// order), and the worker cuts at most one more ahead of those: at most 4
// pieces are held whatever the file's size, and the file is never parsed
// far ahead of what the server has stored. With the server on the same
// machine the worker's parsing is what limits (1 or 3 in flight take the
// same time); several in flight hide the round trips to a distant server.
// Pieces go to a route handler by fetch, not to a server action: Next.js
// runs a page's server actions one at a time.
//
// Every step is idempotent (the upload's id is made here), so a piece that
// fails on the network is simply sent again, with growing waits; an answer
// from the app refusing it is final and shown. A retry of the same settings
// keeps the id (and skips the pieces already stored); other settings need a
// new id, as the server refuses an id begun with other settings.
import { useRef, useState } from "react";
import { beginUploadAction, finishUploadAction } from "@/lib/actions/uploads";
import type { ActionResult } from "@/lib/http/action-result";
import type { ConflictStrategy } from "@/lib/vocabulary";
import { PIECES_PATH } from "@/lib/upload/piece-limits";
import { PIECE_LIMITS } from "./piece-cutter";
import type { CsvWorker, UploadPiece } from "./use-csv-worker";
import type { RowEdits } from "@/lib/upload/row-edits";
import type { Formats } from "./worker-protocol";

const PIECES_IN_FLIGHT = 3;
const PIECES_AHEAD = 1;
const ATTEMPTS = 5;
const PIECE_TIMEOUT_MS = 120_000;

export type UploadSettings = {
  file: File;
  columns: string[];
  mapping: string[];
  /** The columns' formats: the cells are sent converted, as they were checked. */
  formats: Formats;
  /** Fixes made in place: sent as fixed, as they were checked. */
  edits: RowEdits;
  /** The sheet of an .xlsx file (another sheet is another upload). */
  sheet?: string;
  phoneRegion: string;
  strategy: ConflictStrategy;
  totalRows: number;
  /** The wizard's preview: a dry run, started for real later from its staged rows (nothing is sent twice). */
  dryRun: boolean;
};
export type UploadStatus = { state: "idle" | "sending" | "sent" | "error"; sent: number; message?: string };

/** An answer from the app that refuses the request: not worth sending again. */
class Refused extends Error {}

/** Runs `attempt` until it succeeds, waiting 0.5, 1, 2, 4 s between tries; a refusal is final. */
async function withRetries<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (e instanceof Refused || n >= ATTEMPTS) throw e;
      await new Promise((r) => setTimeout(r, 500 * 2 ** (n - 1)));
    }
  }
}

/** A server action, sent again when the network fails. */
function callAction<T>(action: () => Promise<ActionResult<T>>): Promise<T> {
  return withRetries(async () => {
    const r = await action();
    if (r.ok) return r.data;
    throw new Refused(r.error.message);
  });
}

/** One piece to the pieces route (app/(admin)/imports/new/pieces), sent again when the network fails. */
function sendPiece(piece: UploadPiece): Promise<void> {
  return withRetries(async () => {
    const res = await fetch(PIECES_PATH, {
      method: "POST",
      // the body as the worker made it: nothing is read or copied here
      body: piece.body,
      headers: { "content-type": "application/json" },
      cache: "no-store",
      signal: AbortSignal.timeout(PIECE_TIMEOUT_MS), // a request that hangs is sent again
    });
    if (res.ok) return;
    const answer = (await res.json().catch(() => null)) as { error?: { message?: unknown } } | null;
    if (typeof answer?.error?.message === "string") throw new Refused(answer.error.message);
    throw new Error(`the server answered ${res.status}`); // not the app's answer (a proxy's): try again
  });
}

type Attempt = { id: string; file: File; formats: Formats; edits: RowEdits; phoneRegion: string; totalRows: number; settings: string; stored: Set<number> };

/** The upload's id: the last attempt's for a retry of the same file and settings, else a new one. */
function attemptFor(last: Attempt | null, s: UploadSettings): Attempt {
  // other formats or fixes send other cells: a new upload
  const settings = JSON.stringify([s.file.name, s.columns, s.sheet ?? null, s.mapping, s.formats, s.edits, s.strategy, s.totalRows, s.dryRun]);
  if (last && last.file === s.file && last.settings === settings) return last;
  return {
    id: crypto.randomUUID(),
    file: s.file,
    formats: s.formats,
    edits: s.edits,
    phoneRegion: s.phoneRegion,
    totalRows: s.totalRows,
    settings,
    stored: new Set(),
  };
}

/** Every piece of the file, up to PIECES_IN_FLIGHT at once; resolves when all are stored. */
function sendPieces(csv: CsvWorker, a: Attempt, onStored: (rows: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const ready: UploadPiece[] = [];
    let inFlight = 0;
    let allCut = false;
    let failed = false;
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      run.stop();
      reject(e);
    };
    const pump = () => {
      while (!failed && inFlight < PIECES_IN_FLIGHT && ready.length) {
        const piece = ready.shift()!;
        inFlight++;
        (a.stored.has(piece.no) ? Promise.resolve() : sendPiece(piece)).then(() => {
          if (failed) return;
          inFlight--;
          a.stored.add(piece.no);
          onStored(piece.rows);
          run.ack();
          if (allCut && !ready.length && !inFlight) resolve();
          else pump();
        }, fail);
      }
    };
    const run = csv.upload(
      { uploadId: a.id, file: a.file, formats: a.formats, edits: a.edits, phoneRegion: a.phoneRegion, limits: PIECE_LIMITS, window: PIECES_IN_FLIGHT + PIECES_AHEAD },
      {
        piece(p) {
          ready.push(p);
          pump();
        },
        done(rows) {
          if (rows !== a.totalRows) return fail(new Refused("The file has changed since it was checked: choose it again"));
          allCut = true;
          if (!ready.length && !inFlight) resolve();
        },
        error: (message) => fail(new Error(message)),
      },
    );
  });
}

export function useUpload(csv: CsvWorker) {
  const [status, setStatus] = useState<UploadStatus>({ state: "idle", sent: 0 });
  const attempt = useRef<Attempt | null>(null);
  const busy = useRef(false);

  /** Sends the file; resolves to the job's id once it is accepted, or null when it failed (shown). */
  async function start(s: UploadSettings): Promise<string | null> {
    if (busy.current) return null;
    busy.current = true;
    setStatus({ state: "sending", sent: 0 });
    const a = (attempt.current = attemptFor(attempt.current, s));
    try {
      await callAction(() =>
        beginUploadAction({
          uploadId: a.id,
          fileName: s.file.name,
          columns: s.columns,
          mapping: s.mapping,
          strategy: s.strategy,
          totalRows: s.totalRows,
          dryRun: s.dryRun,
        }),
      );
      await sendPieces(csv, a, (rows) => setStatus((u) => ({ ...u, sent: u.sent + rows })));
      await callAction(() => finishUploadAction({ uploadId: a.id }));
      setStatus((u) => ({ ...u, state: "sent" }));
      return a.id;
    } catch (e) {
      setStatus((u) => ({ ...u, state: "error", message: (e as Error).message }));
      return null;
    } finally {
      busy.current = false;
    }
  }

  return { status, start };
}
