import type { ReactNode, Ref } from "react";

import { useI18n } from "../../i18n/I18nProvider";

/**
 * Form controls beside components/TextField: a select, a group of radio buttons, a checkbox
 * and a file input, each with a label, an optional hint and an error tied to it by
 * aria-describedby (the same ids: `<id>-hint`, `<id>-error`), so screen readers read them
 * with the control.
 */

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

function FieldError({ id, error }: { id: string; error: string | undefined }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <p id={`${id}-error`} className="field__error">
      <span className="visually-hidden">{t("field.errorPrefix")} </span>
      {error}
    </p>
  );
}

function FieldHint({ id, hint }: { id: string; hint: ReactNode | undefined }) {
  if (!hint) return null;
  return (
    <p id={`${id}-hint`} className="field__hint">
      {hint}
    </p>
  );
}

export interface SelectOption {
  value: string;
  label: string;
  lang?: string;
}

export function SelectField({
  id,
  label,
  value,
  onChange,
  options,
  emptyLabel,
  hint,
  error,
  required = false,
  autoComplete,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly SelectOption[];
  /** The first, empty choice ("Choose a country"); none when the select always has a value. */
  emptyLabel?: string;
  hint?: string;
  error?: string | undefined;
  required?: boolean;
  autoComplete?: string;
}) {
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      <FieldHint id={id} hint={hint} />
      <select
        id={id}
        name={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        required={required}
        aria-required={required || undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        autoComplete={autoComplete}
      >
        {emptyLabel !== undefined ? <option value="">{emptyLabel}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value} lang={option.lang}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldError id={id} error={error} />
    </div>
  );
}

export interface Choice {
  value: string;
  label: string;
  description?: string;
}

/**
 * Radio buttons in a fieldset: the legend names the group. The first radio's id is `id`, so
 * `focusFirstProblem()` lands on it.
 */
export function ChoiceGroup({
  id,
  legend,
  value,
  onChange,
  choices,
  hint,
  error,
  required = false,
}: {
  id: string;
  legend: string;
  value: string;
  onChange: (value: string) => void;
  choices: readonly Choice[];
  hint?: ReactNode;
  error?: string | undefined;
  required?: boolean;
}) {
  const description = describedBy(id, hint, error);
  return (
    <fieldset className={error ? "field choice-group field--invalid" : "field choice-group"}>
      <legend>{legend}</legend>
      <FieldHint id={id} hint={hint} />
      {choices.map((choice, index) => {
        const choiceId = index === 0 ? id : `${id}-${choice.value.toLowerCase()}`;
        const choiceDescription = choice.description ? `${choiceId}-description` : null;
        return (
          <div className="choice" key={choice.value}>
            <input
              type="radio"
              id={choiceId}
              name={id}
              value={choice.value}
              checked={value === choice.value}
              onChange={() => onChange(choice.value)}
              required={required}
              aria-describedby={[choiceDescription, description].filter(Boolean).join(" ") || undefined}
            />
            <label htmlFor={choiceId}>
              {choice.label}
              {choice.description ? (
                <span id={choiceDescription ?? undefined} className="choice__description">
                  {choice.description}
                </span>
              ) : null}
            </label>
          </div>
        );
      })}
      <FieldError id={id} error={error} />
    </fieldset>
  );
}

export function CheckboxField({
  id,
  label,
  checked,
  onChange,
  error,
  required = false,
}: {
  id: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  error?: string | undefined;
  required?: boolean;
}) {
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <div className="choice">
        <input
          type="checkbox"
          id={id}
          name={id}
          checked={checked}
          onChange={(event) => onChange(event.target.checked)}
          required={required}
          aria-required={required || undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, undefined, error)}
        />
        <label htmlFor={id}>{label}</label>
      </div>
      <FieldError id={id} error={error} />
    </div>
  );
}

export function FileField({
  id,
  label,
  onChange,
  accept,
  hint,
  error,
  required = false,
  inputRef,
}: {
  id: string;
  label: string;
  onChange: (file: File | null) => void;
  accept: string;
  hint?: string;
  error?: string | undefined;
  required?: boolean;
  inputRef?: Ref<HTMLInputElement>;
}) {
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      <FieldHint id={id} hint={hint} />
      <input
        ref={inputRef}
        type="file"
        id={id}
        name={id}
        accept={accept}
        onChange={(event) => onChange(event.target.files?.[0] ?? null)}
        required={required}
        aria-required={required || undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
      <FieldError id={id} error={error} />
    </div>
  );
}
