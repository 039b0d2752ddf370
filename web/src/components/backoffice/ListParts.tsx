import { useEffect, useState, type FormEvent, type ReactNode } from "react";

import { announce } from "../../a11y/announcer";
import { FormMessage } from "../FormMessage";
import { SelectField } from "../forms/fields";
import { useI18n } from "../../i18n/I18nProvider";
import type { OutcomeMessage, PagedList, PagedState } from "./pagedList";

/**
 * The filter of a back-office list: a status chosen from a list, applied with its button (so
 * moving through the options with the arrow keys does not reload the list at each step).
 */
export function StatusFilter({
  id,
  label,
  value,
  options,
  onApply,
}: {
  id: string;
  label: string;
  value: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  onApply: (value: string) => void;
}) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState(value);
  useEffect(() => setChosen(value), [value]);
  function submit(event: FormEvent) {
    event.preventDefault();
    onApply(chosen);
  }
  return (
    <form noValidate onSubmit={submit} className="bo-filter">
      <SelectField id={id} label={label} value={chosen} onChange={setChosen} options={options} />
      <button type="submit" className="button button--secondary">
        {t("backoffice.list.show")}
      </button>
    </form>
  );
}

/** Loading, a failure with "Try again", or nothing once the list is there. */
export function ListState<T>({
  state,
  loadingText,
  onRetry,
}: {
  state: PagedState<T>;
  loadingText: string;
  onRetry: () => void;
}) {
  const { t } = useI18n();
  if (state.phase === "loading") {
    return (
      <p className="bo-loading" role="status">
        {loadingText}
      </p>
    );
  }
  if (state.phase === "failed" && state.failure) {
    return (
      <FormMessage tone="error">
        <p className="bo-message__text">{t(state.failure)}</p>
        <button type="button" className="button button--secondary" onClick={onRetry}>
          {t("backoffice.list.retry")}
        </button>
      </FormMessage>
    );
  }
  return null;
}

/** "Show more" while the API has a next page; says how many are shown. */
export function MoreButton<T>({
  state,
  shownText,
  onMore,
}: {
  state: PagedState<T>;
  shownText: string;
  onMore: () => void;
}) {
  const { t } = useI18n();
  if (state.phase !== "ready" || state.items.length === 0) return null;
  return (
    <div className="bo-more">
      <p>{shownText}</p>
      {state.moreFailure ? <FormMessage tone="error">{t(state.moreFailure)}</FormMessage> : null}
      {state.next !== null ? (
        <button type="button" className="button button--secondary" onClick={onMore} disabled={state.loadingMore}>
          {state.loadingMore ? t("app.loading") : t("backoffice.list.more")}
        </button>
      ) : null}
    </div>
  );
}

/**
 * A back-office list as a whole: the status filter and "Refresh", the outcome of the last
 * action, then the list's section (its heading, loading or failure, the items, "Show more").
 * Refreshing and showing more are announced.
 */
export function PagedListView<T>({
  list,
  outcome,
  filter,
  headingId,
  heading,
  note,
  loadingText,
  emptyText,
  shownText,
  refreshedText,
  renderItem,
}: {
  list: PagedList<T>;
  outcome: OutcomeMessage;
  filter: {
    id: string;
    label: string;
    value: string;
    options: ReadonlyArray<{ value: string; label: string }>;
    onApply: (value: string) => void;
  };
  headingId: string;
  heading: string;
  /** Under the heading (what to know about the items shown). */
  note?: ReactNode;
  loadingText: string;
  /** Said when the list has no item. */
  emptyText: string;
  shownText: (count: number) => string;
  refreshedText: (count: number) => string;
  renderItem: (item: T) => ReactNode;
}) {
  const { t } = useI18n();
  const { state } = list;

  async function refresh() {
    outcome.clear();
    const items = await list.reload();
    if (items) outcome.tell({ tone: "info", text: refreshedText(items.length) }, false);
  }

  async function more() {
    const added = await list.loadMore();
    if (added > 0) announce(t("backoffice.list.moreLoaded", { count: added }));
  }

  return (
    <>
      <div className="bo-toolbar">
        <StatusFilter
          {...filter}
          onApply={(value) => {
            outcome.clear();
            filter.onApply(value);
          }}
        />
        <button type="button" className="button button--secondary" onClick={() => void refresh()}>
          {t("backoffice.list.refresh")}
        </button>
      </div>
      {outcome.outcome ? (
        <div ref={outcome.ref} tabIndex={-1} className="bo-outcome">
          <FormMessage tone={outcome.outcome.tone}>{outcome.outcome.text}</FormMessage>
        </div>
      ) : null}
      <section aria-labelledby={headingId} aria-busy={state.phase === "loading"}>
        <h2 id={headingId}>{heading}</h2>
        {note}
        <ListState state={state} loadingText={loadingText} onRetry={() => void list.reload()} />
        {state.phase === "ready" && state.items.length === 0 ? <p>{emptyText}</p> : null}
        {state.items.length > 0 ? (
          <ul className="bo-list">
            {state.items.map((item) => (
              <li key={list.keyOf(item)}>{renderItem(item)}</li>
            ))}
          </ul>
        ) : null}
        <MoreButton state={state} shownText={shownText(state.items.length)} onMore={() => void more()} />
      </section>
    </>
  );
}
