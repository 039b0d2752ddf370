import { useEffect, useState, type FormEvent } from "react";

import { FormMessage } from "../FormMessage";
import { useI18n } from "../../i18n/I18nProvider";
import type { PagedState } from "./pagedList";
import { SelectField } from "./fields";

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
