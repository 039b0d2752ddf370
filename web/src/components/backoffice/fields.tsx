import type { ReactNode, Ref } from "react";

import { useI18n } from "../../i18n/I18nProvider";

/**
 * The back office's other inputs, built like `components/TextField`: a label, an optional hint
 * and error under it, both read with the control (aria-describedby), aria-invalid on an error.
 */
interface FieldFrame {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  required?: boolean;
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

function FieldHint({ id, hint }: { id: string; hint?: ReactNode }) {
  return hint ? (
    <p id={`${id}-hint`} className="field__hint">
      {hint}
    </p>
  ) : null;
}

function FieldError({ id, error }: { id: string; error?: string | undefined }) {
  const { t } = useI18n();
  return error ? (
    <p id={`${id}-error`} className="field__error">
      <span className="visually-hidden">{t("field.errorPrefix")} </span>
      {error}
    </p>
  ) : null;
}

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
}: FieldFrame & {
  value: string;
  onChange: (value: string) => void;
  rows?: number;
  maxLength?: number;
  textareaRef?: Ref<HTMLTextAreaElement>;
}) {
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      <FieldHint id={id} hint={hint} />
      <textarea
        ref={textareaRef}
        id={id}
        name={id}
        rows={rows}
        value={value}
        maxLength={maxLength}
        onChange={(event) => onChange(event.target.value)}
        aria-required={required || undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
      <FieldError id={id} error={error} />
    </div>
  );
}

export function SelectField({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  options,
}: FieldFrame & {
  value: string;
  onChange: (value: string) => void;
  options: ReadonlyArray<{ value: string; label: string }>;
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
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldError id={id} error={error} />
    </div>
  );
}

export function FileField({
  id,
  label,
  hint,
  error,
  required = false,
  accept,
  onChange,
  inputRef,
}: FieldFrame & {
  accept: string;
  onChange: (file: File | null) => void;
  inputRef?: Ref<HTMLInputElement>;
}) {
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      <FieldHint id={id} hint={hint} />
      <input
        ref={inputRef}
        id={id}
        name={id}
        type="file"
        accept={accept}
        onChange={(event) => onChange(event.target.files?.[0] ?? null)}
        aria-required={required || undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
      <FieldError id={id} error={error} />
    </div>
  );
}
