// Wakes this process's webhook sender when a delivery is queued here, so it
// goes out without waiting for the next poll; other processes poll.
import "server-only";
type Listener = () => void;
const listeners = new Set<Listener>();

export function onDeliveryQueued(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Called before the queuing transaction commits: listeners look again a moment later. */
export function signalDeliveryQueued(): void {
  for (const l of listeners) setTimeout(l, 50).unref?.();
}
