import type { HTMLInputAutoCompleteAttribute, HTMLInputTypeAttribute, Ref } from "react";

import { useI18n } from "../i18n/I18nProvider";

export interface TextFieldProps {
  /** The input's id; its hint and error get `<id>-hint` and `<id>-error`. */
  id: string;
  name?: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: HTMLInputTypeAttribute;
  autoComplete?: HTMLInputAutoCompleteAttribute;
  inputMode?: "text" | "email" | "numeric" | "tel";
  hint?: string;
  /** The client's or the server's message for this field; shown under it, tied by aria-describedby. */
  error?: string | undefined;
  required?: boolean;
  inputRef?: Ref<HTMLInputElement>;
  maxLength?: number;
}

/** A labelled input with an optional hint and error message (both read with the input). */
export function TextField({
  id,
  name,
  label,
  value,
  onChange,
  type = "text",
  autoComplete,
  inputMode,
  hint,
  error,
  required = false,
  inputRef,
  maxLength,
}: TextFieldProps) {
  const { t } = useI18n();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ");
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      <input
        ref={inputRef}
        id={id}
        name={name ?? id}
        type={type}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        autoComplete={autoComplete}
        inputMode={inputMode}
        required={required}
        aria-required={required || undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        maxLength={maxLength}
      />
      {error ? (
        <p id={errorId} className="field__error">
          <span className="visually-hidden">{t("field.errorPrefix")} </span>
          {error}
        </p>
      ) : null}
    </div>
  );
}
