/**
 * `announce(message)`: says a status change to screen-reader users through the shell's
 * `aria-live="polite"` region (saved, sent, failed, language changed...). Show the same
 * message on the page too: the region itself is visually hidden.
 */
type Listener = (message: string) => void;

const listeners = new Set<Listener>();

export function announce(message: string): void {
  for (const listener of listeners) listener(message);
}

export function onAnnouncement(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
