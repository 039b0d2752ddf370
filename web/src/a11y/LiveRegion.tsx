import { useEffect, useState } from "react";

import { onAnnouncement } from "./announcer";

/** The one polite live region of the page; `announce()` writes to it. */
export function LiveRegion() {
  const [message, setMessage] = useState("");
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = onAnnouncement((next) => {
      // Emptied first, so the same message said twice is announced twice.
      setMessage("");
      clearTimeout(timer);
      timer = setTimeout(() => setMessage(next), 50);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, []);
  return (
    <div id="status-region" className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
      {message}
    </div>
  );
}
