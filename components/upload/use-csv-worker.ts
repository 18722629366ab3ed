"use client";

import { useEffect, useState } from "react";
import type { CheckSummary } from "@/lib/upload/check-rows";
import type { ColumnStats } from "@/lib/formats/column-stats";
import type { FixOptions, FixRow } from "@/lib/upload/fix-session";
import type { RowEdits } from "@/lib/upload/row-edits";
import type { FilePreview as Preview } from "@/lib/upload/wizard-state";
import type { Formats, FromWorker, PieceLimits, ToWorker } from "./worker-protocol";

export type { FilePreview as Preview } from "@/lib/upload/wizard-state";

/** What a whole-file check needs: the file, the column mapping, formats and fixes, and the field catalog. */
export type CheckRequest = { file: File } & FixOptions;

/** The running fix-in-place session: its worker holds the problem rows and the edits. */
export type FixRun = { patch(row: number, column: number, value: string): void; replace(column: number, from: string, to: string): void };

export type UploadPiece = { no: number; rows: number; body: Blob };

/** The running upload request: acknowledge stored pieces, or stop it. */
export type UploadRun = { ack(): void; stop(): void };

export type CsvWorker = {
  /** The sheet of an .xlsx file that every later request reads (undefined: the one the next preview opens on). */
  setSheet(sheet: string | undefined): void;
  /** The headers and first rows. */
  preview(file: File, on: { done(p: Preview): void; error(message: string): void }): void;
  /** Every value of every column read for the formats' suggestions; a new scan replaces a running one. */
  scan(file: File, phoneRegion: string, on: { progress(rows: number): void; done(stats: ColumnStats[]): void; error(message: string): void }): void;
  /** The whole file through the server's record rules; a new check replaces a running one. */
  check(req: CheckRequest, on: { progress(rows: number): void; done(s: CheckSummary, samples: [string, string][][]): void; error(message: string): void }): void;
  /** The rows with problems, as CSV text. */
  problemRows(req: CheckRequest, done: (csv: string) => void): void;
  /** The rows with problems held for fixing in place; a new load replaces the running session. */
  fix(
    req: { file: File } & FixOptions,
    on: { rows(rows: FixRow[], total: number, edits: RowEdits): void; row(row: FixRow, edits: RowEdits): void; error(message: string): void },
  ): FixRun;
  /** The file cut into pieces; at most `window` pieces are handed out and not yet acknowledged. */
  upload(
    req: { uploadId: string; file: File; formats: Formats; edits: RowEdits; phoneRegion: string; limits: PieceLimits; window: number },
    on: { piece(p: UploadPiece): void; done(rows: number, pieces: number): void; error(message: string): void },
  ): UploadRun;
};

/** The sheet every later request reads, shared by the requests. */
type SheetChoice = { current: string | undefined };

/** Runs one request on a fresh worker, ending the running one of its kind; returning true from `onMessage` ends the worker. */
type RunRequest = (msg: ToWorker, onMessage: (m: FromWorker) => boolean | void) => Worker;

function requestRunner(workers: Map<ToWorker["type"], Worker>, sheet: SheetChoice): RunRequest {
  return (msg, onMessage) => {
    workers.get(msg.type)?.terminate();
    const worker = new Worker(new URL("./csv.worker.ts", import.meta.url), { type: "module" });
    workers.set(msg.type, worker);
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      if (onMessage(e.data) === true) worker.terminate();
    };
    worker.postMessage({ ...msg, sheet: sheet.current });
    return worker;
  };
}

/** Each request, its worker's messages turned into the caller's callbacks. */
function csvWorkerRequests(run: RunRequest, sheet: SheetChoice): CsvWorker {
  return {
    setSheet(name) {
      sheet.current = name;
    },
    preview(file, on) {
      run({ type: "preview", file }, (m) => {
        if (m.type === "error") on.error(m.message);
        else if (m.type === "preview") {
          sheet.current ??= m.sheet; // the sheet the worker chose: later requests name it rather than choose again
          on.done({ headers: m.headers, rows: m.rows, sheets: m.sheets, sheet: m.sheet });
        }
        else return;
        return true;
      });
    },
    scan(file, phoneRegion, on) {
      run({ type: "scan", file, phoneRegion }, (m) => {
        if (m.type === "progress") return on.progress(m.rows);
        if (m.type === "scanned") on.done(m.stats);
        else if (m.type === "error") on.error(m.message);
        else return;
        return true;
      });
    },
    check(req, on) {
      run({ type: "check", ...req }, (m) => {
        if (m.type === "progress") return on.progress(m.rows);
        if (m.type === "checked") on.done(m.summary, m.samples);
        else if (m.type === "error") on.error(m.message);
        else return;
        return true;
      });
    },
    problemRows(req, done) {
      run({ type: "problem-rows", ...req }, (m) => {
        if (m.type === "problem-rows") done(m.csv);
        return m.type === "problem-rows" || m.type === "error";
      });
    },
    fix(req, on) {
      const worker = run({ type: "fix-load", ...req }, (m) => {
        if (m.type === "fix-rows") on.rows(m.rows, m.total, m.edits);
        else if (m.type === "fix-row") on.row(m.row, m.edits);
        else if (m.type === "error") on.error(m.message);
      });
      const send = (m: ToWorker) => worker.postMessage(m);
      return {
        patch: (row, column, value) => send({ type: "fix-patch", row, column, value }),
        replace: (column, from, to) => send({ type: "fix-replace", column, from, to }),
      };
    },
    upload(req, on) {
      const worker = run({ type: "upload", ...req }, (m) => {
        if (m.type === "piece") return on.piece({ no: m.no, rows: m.rows, body: m.body });
        if (m.type === "uploaded") on.done(m.rows, m.pieces);
        else if (m.type === "error") on.error(m.message);
        else return;
        return true;
      });
      return {
        ack: () => worker.postMessage({ type: "ack" } satisfies ToWorker),
        stop: () => worker.terminate(),
      };
    },
  };
}

/** The requests and their workers; `endAll` ends every worker. */
function csvWorker(): CsvWorker & { endAll(): void } {
  const workers = new Map<ToWorker["type"], Worker>();
  const sheet: SheetChoice = { current: undefined };
  return { ...csvWorkerRequests(requestRunner(workers, sheet), sheet), endAll: () => workers.forEach((w) => w.terminate()) };
}

/**
 * The wizard's Web Worker requests (csv.worker.ts). Each request runs on a
 * fresh worker, one per kind of request: a new check replaces a running
 * check, but never cuts short a download or an upload. Every worker ends
 * when the wizard goes away.
 */
export function useCsvWorker(): CsvWorker {
  const [csv] = useState(csvWorker);
  useEffect(() => () => csv.endAll(), [csv]);
  return csv;
}
