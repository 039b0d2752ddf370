import { useImperativeHandle, useRef, useState } from "react";

import { useI18n } from "../../i18n/I18nProvider";
import { LOCAL_TEST_CARDS, localCardResult, type CardEntryProps } from "./cardCollector";
import { FieldError } from "../forms/fields";

/** The local stage's card entry: a list of the local provider's test cards (no card data). */
export function LocalCardEntry({ id, handle, error, onChange }: CardEntryProps) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;

  useImperativeHandle(
    handle,
    () => ({
      async collect() {
        const result = localCardResult(chosen);
        if (!result.ok) first.current?.focus();
        return result;
      },
    }),
    [chosen],
  );

  const describedBy = [hintId, error ? errorId : null].filter(Boolean).join(" ");
  return (
    <fieldset id={id} className={error ? "sub-choice sub-choice--invalid" : "sub-choice"} aria-describedby={describedBy}>
      <legend>{t("subscriptions.card.test.legend")}</legend>
      <p id={hintId} className="field__hint">
        {t("subscriptions.card.test.hint")}
      </p>
      {LOCAL_TEST_CARDS.map((card, index) => {
        const inputId = `${id}-${card.token}`;
        return (
          <div className="sub-choice__option" key={card.token}>
            <input
              ref={index === 0 ? first : undefined}
              type="radio"
              id={inputId}
              name={`${id}-card`}
              value={card.token}
              checked={chosen === card.token}
              onChange={() => {
                setChosen(card.token);
                onChange?.();
              }}
              aria-describedby={error ? errorId : undefined}
            />
            <label htmlFor={inputId}>
              {t(card.label)} <code className="sub-token">{card.token}</code>
            </label>
          </div>
        );
      })}
      <FieldError id={id} error={error} />
    </fieldset>
  );
}
