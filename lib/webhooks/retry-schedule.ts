// When a failed delivery is tried again (contract: "Webhooks"): the first
// retry at most 30 s after the failed try, the second at most 2 minutes after
// the first, growing, on for at least 24 hours and 6 tries, then given up.
// 8 tries over 24 h 36 min.
export const RETRY_DELAYS_MS = [5_000, 60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000, 16 * 3_600_000] as const;

/** The wait after the `tries`-th failed try, or null: give up (failed). */
export function retryDelayMs(tries: number): number | null {
  return RETRY_DELAYS_MS[tries - 1] ?? null;
}

/** An endpoint that has failed every delivery this long is disabled. */
export const DISABLE_AFTER_MS = 3 * 24 * 3_600_000;
