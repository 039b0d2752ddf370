import { useCallback, useEffect, useRef, useState } from "react";

import { failureOf } from "../../forms/failure";
import type { MessageKey } from "../../i18n/en";

export type Loaded<T> =
  | { state: "loading" }
  | { state: "failed"; message: MessageKey; status: number | null }
  | { state: "loaded"; data: T };

/**
 * Loads `load()` when `deps` change (an answer that arrives after a newer request is dropped);
 * `reload()` loads again, `set()` replaces the data with an answer the screen got otherwise.
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [result, setResult] = useState<Loaded<T>>({ state: "loading" });
  const request = useRef(0);
  const run = useCallback(load, deps);

  const reload = useCallback(
    (quiet = false) => {
      const mine = ++request.current;
      if (!quiet) setResult({ state: "loading" });
      run().then(
        (data) => {
          if (mine === request.current) setResult({ state: "loaded", data });
        },
        (error: unknown) => {
          if (mine !== request.current) return;
          const status = typeof error === "object" && error !== null && "status" in error ? Number(error.status) : null;
          setResult({ state: "failed", message: failureOf(error).message, status });
        },
      );
    },
    [run],
  );

  useEffect(() => {
    reload();
    return () => {
      request.current++;
    };
  }, [reload]);

  const set = useCallback((data: T) => {
    request.current++;
    setResult({ state: "loaded", data });
  }, []);

  return { result, reload, set };
}
