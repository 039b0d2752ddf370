import { useEffect, useRef, useState, type KeyboardEvent } from "react";

import { announce } from "../../a11y/announcer";
import { api, call } from "../../api/client";
import { failureOf } from "../../forms/failure";
import type { MessageKey } from "../../i18n/en";
import { useI18n } from "../../i18n/I18nProvider";
import { FieldError } from "../forms/fields";
import type { CatalogItem } from "./details";

/** Wait this long after the last key before asking the catalogue. */
export const SEARCH_DELAY_MS = 300;
export const MIN_QUERY = 2;
const RESULTS = 8;

/**
 * The catalogue of eligible products as a combobox (ARIA 1.2, list autocomplete): typing
 * searches GET /catalog?q= (debounced, the latest answer wins), the arrows move through the
 * results, Enter picks one, Escape closes the list. The number of results is shown and
 * announced.
 */
export function CatalogSearch({
  id,
  selected,
  onSelect,
  error,
}: {
  id: string;
  selected: CatalogItem | null;
  onSelect: (item: CatalogItem | null) => void;
  error?: string | undefined;
}) {
  const { t, number } = useI18n();
  const [query, setQuery] = useState(selected?.name ?? "");
  const [results, setResults] = useState<CatalogItem[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [summary, setSummary] = useState<string | null>(null);
  const [failure, setFailure] = useState<MessageKey | null>(null);
  const latest = useRef(0);
  const listId = `${id}-results`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const summaryId = `${id}-summary`;

  useEffect(() => {
    const q = query.trim();
    const asked = ++latest.current;
    if (selected !== null || q.length < MIN_QUERY) {
      setResults([]);
      setSummary(null);
      return;
    }
    const timer = setTimeout(() => {
      call(api().GET("/catalog", { params: { query: { q, limit: RESULTS } } }))
        .then((page) => {
          if (asked !== latest.current) return; // an older search answered late
          setFailure(null);
          setResults(page.items);
          setActive(-1);
          setOpen(page.items.length > 0);
          const text =
            page.items.length === 0
              ? t("products.search.none", { query: q })
              : t("products.search.count", { count: number(page.items.length) });
          setSummary(text);
          announce(text);
        })
        .catch((cause: unknown) => {
          if (asked !== latest.current) return;
          const message = failureOf(cause).message;
          setFailure(message);
          setOpen(false);
          announce(t(message));
        });
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
    // t and number are left out on purpose: a language switch does not search again.
  }, [query, selected]);

  function choose(item: CatalogItem) {
    onSelect(item);
    setQuery(item.name);
    setOpen(false);
    setActive(-1);
    setSummary(null);
    announce(t("products.search.selected", { name: item.name }));
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (results.length === 0) return;
      event.preventDefault();
      setOpen(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((current) => (current + step + results.length) % results.length);
    } else if (event.key === "Enter") {
      const item = open ? results[active] : undefined;
      if (item) {
        event.preventDefault(); // picks the product, does not send the form
        choose(item);
      }
    } else if (event.key === "Escape") {
      if (open) {
        event.preventDefault();
        setOpen(false);
        setActive(-1);
      }
    }
  }

  const describedBy = [hintId, summary ? summaryId : null, error ? errorId : null].filter(Boolean).join(" ");
  const activeItem = open ? results[active] : undefined;
  return (
    <div className={error ? "field catalog-search field--invalid" : "field catalog-search"}>
      <label htmlFor={id}>{t("products.search.label")}</label>
      <p id={hintId} className="field__hint">
        {t("products.search.hint")}
      </p>
      <div className="combobox">
        <input
          id={id}
          type="text"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={activeItem ? `${listId}-${activeItem.sku}` : undefined}
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
          aria-required={true}
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            if (selected !== null) onSelect(null);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setOpen(false)}
          onFocus={() => setOpen(results.length > 0 && selected === null)}
        />
        <ul id={listId} role="listbox" aria-label={t("products.search.results")} className="combobox__list" hidden={!open}>
          {results.map((item, index) => (
            <li
              key={item.sku}
              id={`${listId}-${item.sku}`}
              role="option"
              aria-selected={index === active}
              className={index === active ? "combobox__option combobox__option--active" : "combobox__option"}
              // mousedown, not click: the input's blur would close the list first
              onMouseDown={(event) => {
                event.preventDefault();
                choose(item);
              }}
            >
              <span className="combobox__name">{item.name}</span>{" "}
              <span className="combobox__meta">
                {item.sku} · {t("products.pointsValue", { points: number(item.points) })}
              </span>
            </li>
          ))}
        </ul>
      </div>
      {summary ? (
        <p id={summaryId} className="field__hint">
          {summary}
        </p>
      ) : null}
      {selected ? (
        <p className="catalog-search__selected">
          {t("products.search.chosen", {
            name: selected.name,
            sku: selected.sku,
            points: number(selected.points),
          })}
        </p>
      ) : null}
      {failure ? (
        <p className="field__error">{t(failure)}</p>
      ) : null}
      <FieldError id={id} error={error} />
    </div>
  );
}
