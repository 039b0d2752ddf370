import { useCallback, useEffect, useReducer, useRef, useState, type RefObject } from "react";
import { useSearchParams } from "react-router";

import { announce } from "../../a11y/announcer";
import { failureOf } from "../../forms/failure";
import type { MessageKey } from "../../i18n/en";
import { statusParam } from "./logic";

/**
 * A list of the API read page by page (`{items, next_cursor}`, API.md "Lists"): the first page
 * when the filter changes, "Show more" for the next, and items taken out once decided or paid.
 */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface PagedState<T> {
  phase: "loading" | "ready" | "failed";
  items: T[];
  next: string | null;
  /** Why the first page could not be read. */
  failure: MessageKey | null;
  loadingMore: boolean;
  /** Why the next page could not be read (the items so far stay). */
  moreFailure: MessageKey | null;
  /** When the first page arrived (its short-lived links were made then), ms since the epoch. */
  loadedAt: number | null;
}

export type PagedAction<T> =
  | { type: "start" }
  | { type: "loaded"; page: Page<T>; at: number }
  | { type: "failed"; failure: MessageKey }
  | { type: "moreStart" }
  | { type: "moreLoaded"; page: Page<T> }
  | { type: "moreFailed"; failure: MessageKey }
  | { type: "remove"; key: string };

export function initialPaged<T>(): PagedState<T> {
  return { phase: "loading", items: [], next: null, failure: null, loadingMore: false, moreFailure: null, loadedAt: null };
}

/** The list's state changes; `keyOf` names an item (an application id, an invoice number). */
export function pagedReducer<T>(keyOf: (item: T) => string) {
  return (state: PagedState<T>, action: PagedAction<T>): PagedState<T> => {
    switch (action.type) {
      case "start":
        return { ...state, phase: "loading", items: [], next: null, failure: null, moreFailure: null, loadingMore: false };
      case "loaded":
        return {
          ...state,
          phase: "ready",
          items: action.page.items,
          next: action.page.next_cursor,
          failure: null,
          loadedAt: action.at,
        };
      case "failed":
        return { ...state, phase: "failed", items: [], next: null, failure: action.failure };
      case "moreStart":
        return { ...state, loadingMore: true, moreFailure: null };
      case "moreLoaded": {
        // A page may repeat an item that moved while paging: keep the first.
        const seen = new Set(state.items.map(keyOf));
        const fresh = action.page.items.filter((item) => !seen.has(keyOf(item)));
        return { ...state, items: [...state.items, ...fresh], next: action.page.next_cursor, loadingMore: false };
      }
      case "moreFailed":
        return { ...state, loadingMore: false, moreFailure: action.failure };
      case "remove":
        return { ...state, items: state.items.filter((item) => keyOf(item) !== action.key) };
    }
  };
}

/** How many items a page asks for. */
export const PAGE_SIZE = 20;

export interface PagedList<T> {
  state: PagedState<T>;
  /** Names an item (its list entry's key). */
  keyOf: (item: T) => string;
  /** Reads the first page again; resolves with its items (undefined when it failed). */
  reload: () => Promise<T[] | undefined>;
  loadMore: () => Promise<number>;
  remove: (key: string) => void;
}

/**
 * `fetchPage(cursor)` reads one page; `filter` changes when the list's filter does (the first
 * page is read again). An answer to an older request than the latest is dropped.
 */
export function usePagedList<T>({
  fetchPage,
  keyOf,
  filter,
}: {
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>;
  keyOf: (item: T) => string;
  filter: string;
}): PagedList<T> {
  const reducer = useRef(pagedReducer(keyOf)).current;
  const [state, dispatch] = useReducer(reducer, undefined, () => initialPaged<T>());
  const latest = useRef(0);
  const fetcher = useRef(fetchPage);
  fetcher.current = fetchPage;
  const cursor = useRef<string | null>(null);
  cursor.current = state.next;

  const reload = useCallback(async () => {
    const request = ++latest.current;
    dispatch({ type: "start" });
    try {
      const page = await fetcher.current(undefined);
      if (request !== latest.current) return undefined;
      dispatch({ type: "loaded", page, at: Date.now() });
      return page.items;
    } catch (error) {
      if (request === latest.current) dispatch({ type: "failed", failure: failureOf(error).message });
      return undefined;
    }
  }, []);

  const loadMore = useCallback(async () => {
    const next = cursor.current;
    if (next === null) return 0;
    const request = latest.current;
    dispatch({ type: "moreStart" });
    try {
      const page = await fetcher.current(next);
      if (request !== latest.current) return 0;
      dispatch({ type: "moreLoaded", page });
      return page.items.length;
    } catch (error) {
      if (request === latest.current) dispatch({ type: "moreFailed", failure: failureOf(error).message });
      return 0;
    }
  }, []);

  const remove = useCallback((key: string) => dispatch({ type: "remove", key }), []);

  useEffect(() => {
    void reload();
  }, [filter, reload]);

  return { state, keyOf, reload, loadMore, remove };
}

/**
 * The list's filter: a status kept in the address (?status=), so a reload or a shared link
 * shows the same list. An absent or unknown one is `fallback`, which is left out of the address.
 */
export function useStatusFilter<S extends string>(allowed: readonly S[], fallback: S): [S, (next: string) => void] {
  const [params, setParams] = useSearchParams();
  const status = statusParam<S>(params.get("status"), allowed, fallback);
  const choose = useCallback(
    (next: string) => setParams(next === fallback ? {} : { status: next }),
    [setParams, fallback],
  );
  return [status, choose];
}

/** What happened to the list (decided, paid, read again), said above it. */
export interface Outcome {
  tone: "success" | "info";
  text: string;
}

export interface OutcomeMessage {
  outcome: Outcome | null;
  /** The message's box: it takes the focus when told so. */
  ref: RefObject<HTMLDivElement | null>;
  /**
   * Shows and announces `next`; with `moveFocus` the message takes the focus (the button
   * that was pressed may be gone with its item).
   */
  tell: (next: Outcome, moveFocus?: boolean) => void;
  clear: () => void;
}

export function useOutcome(): OutcomeMessage {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const tell = useCallback((next: Outcome, moveFocus = true) => {
    setOutcome(next);
    announce(next.text);
    if (!moveFocus) return;
    requestAnimationFrame(() => ref.current?.focus());
  }, []);
  const clear = useCallback(() => setOutcome(null), []);
  return { outcome, ref, tell, clear };
}
