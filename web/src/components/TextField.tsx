import type { HTMLInputAutoCompleteAttribute, HTMLInputTypeAttribute, Ref } from "react";

import { FieldFrame, fieldAria } from "./forms/fields";

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
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
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
        maxLength={maxLength}
        {...fieldAria(id, hint, error, required)}
      />
    </FieldFrame>
  );
}
