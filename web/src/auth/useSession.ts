import { useSyncExternalStore } from "react";

import { session as appSession, type Session } from "./session";

/** The current session (null when logged out); re-renders on login, refresh and logout. */
export function useSession(): Session | null {
  return useSyncExternalStore(
    (onChange) => appSession.subscribe(() => onChange()),
    () => appSession.current,
    () => null,
  );
}
