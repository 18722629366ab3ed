import type { CheckSummary } from "@/lib/upload/check-rows";

// Messages between the wizard and its Web Worker.
export type ToWorker =
  | { type: "preview"; file: File }
  | { type: "check"; file: File; mapping: string[]; catalog: [string, string][]; phoneRegion: string }
  | { type: "problem-rows"; file: File; mapping: string[]; catalog: [string, string][]; phoneRegion: string }
  | { type: "upload"; file: File; rowsPerChunk: number }
  | { type: "ack" };

export type FromWorker =
  | { type: "preview"; headers: string[]; rows: string[][]; encoding: string }
  | { type: "progress"; rows: number; bytes: number }
  | { type: "checked"; summary: CheckSummary }
  | { type: "problem-rows"; csv: string; count: number }
  | { type: "chunk"; no: number; rows: string[][] }
  | { type: "uploaded"; rows: number }
  | { type: "error"; message: string };
