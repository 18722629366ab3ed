// Wakes this process's worker when a job is accepted here, so a small job
// does not wait for the next poll. Other processes find it by polling.
import "server-only";
type Listener = () => void;
const listeners = new Set<Listener>();

export function onJobAccepted(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function signalJobAccepted(): void {
  for (const l of listeners) l();
}
