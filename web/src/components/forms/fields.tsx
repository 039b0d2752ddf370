import type { ReactNode, Ref } from "react";

import { useI18n } from "../../i18n/I18nProvider";

/**
 * The app's form controls beside `components/TextField`: a select, a text area, a group of
 * radio buttons, a checkbox and a file input. Each has a label, an optional hint and an error
 * tied to the control by aria-describedby (the ids `<id>-hint` and `<id>-error`), so screen
 * readers read them with it, and aria-invalid while it has an error.
 */

/** The control's aria-describedby: its hint and its error, when it has them. */
export function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

/** The hint under a field's label (`<id>-hint`); nothing without one. */
export function FieldHint({ id, hint }: { id: string; hint?: ReactNode }) {
  if (!hint) return null;
  return (
    <p id={`${id}-hint`} className="field__hint">
      {hint}
    </p>
  );
}

/** The error under a field (`<id>-error`, `id` being the field's), "Error:" said before it; nothing without one. */
export function FieldError({ id, error }: { id: string; error?: string | undefined }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <p id={`${id}-error`} className="field__error">
      <span className="visually-hidden">{t("field.errorPrefix")} </span>
      {error}
    </p>
  );
}

/** What every field takes: its id (the control's), label, hint and error. */
export interface FieldFrameProps {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
}

/** A field's frame: the label, the hint, the control (`children`) and the error. */
export function FieldFrame({ id, label, hint, error, children }: FieldFrameProps & { children: ReactNode }) {
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      <FieldHint id={id} hint={hint} />
      {children}
      <FieldError id={id} error={error} />
    </div>
  );
}

/** The aria attributes of a field's control: required, invalid, described by its hint and error. */
export function fieldAria(id: string, hint: unknown, error: unknown, required: boolean) {
  return {
    "aria-required": required || undefined,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy(id, hint, error),
  } as const;
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
}: FieldFrameProps & {
  value: string;
  onChange: (value: string) => void;
  options: readonly SelectOption[];
  /** The first, empty choice ("Choose a country"); none when the select always has a value. */
  emptyLabel?: string;
  required?: boolean;
  autoComplete?: string;
}) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <select
        id={id}
        name={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        required={required}
        autoComplete={autoComplete}
        {...fieldAria(id, hint, error, required)}
      >
        {emptyLabel !== undefined ? <option value="">{emptyLabel}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value} lang={option.lang}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/** A text area; `required` is said (aria-required), the form's own checks enforce it. */
export function TextAreaField({
  id,
  label,
  hint,
  error,
  required = false,
  value,
  onChange,
  rows = 3,
  maxLength,
  textareaRef,
}: FieldFrameProps & {
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  rows?: number;
  maxLength?: number;
  textareaRef?: Ref<HTMLTextAreaElement>;
}) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <textarea
        ref={textareaRef}
        id={id}
        name={id}
        rows={rows}
        value={value}
        maxLength={maxLength}
        onChange={(event) => onChange(event.target.value)}
        {...fieldAria(id, hint, error, required)}
      />
    </FieldFrame>
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
}: FieldFrameProps & {
  onChange: (file: File | null) => void;
  accept: string;
  required?: boolean;
  inputRef?: Ref<HTMLInputElement>;
}) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <input
        ref={inputRef}
        type="file"
        id={id}
        name={id}
        accept={accept}
        onChange={(event) => onChange(event.target.files?.[0] ?? null)}
        required={required}
        {...fieldAria(id, hint, error, required)}
      />
    </FieldFrame>
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
          {...fieldAria(id, undefined, error, required)}
        />
        <label htmlFor={id}>{label}</label>
      </div>
      <FieldError id={id} error={error} />
    </div>
  );
}
