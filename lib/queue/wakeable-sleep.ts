// The engine's and the stager's wait between polls, cut short when there is
// work: a job accepted in this process, a file staged, or the engine stopping.

export type WakeableSleep = {
  /** Resolves after `ms`, or at once when woken. */
  sleep(ms: number): Promise<void>;
  /** Ends the current sleep, if any; a wake with no one asleep is not kept. */
  wake(): void;
};

export function wakeableSleep(): WakeableSleep {
  let wake: (() => void) | null = null;
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const t = setTimeout(done, ms);
        function done() {
          clearTimeout(t);
          wake = null;
          resolve();
        }
        wake = done;
      }),
    wake: () => wake?.(),
  };
}
