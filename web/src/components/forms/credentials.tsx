import { useI18n } from "../../i18n/I18nProvider";
import { TextField } from "../TextField";

/**
 * The inputs of the log-in and password pages: an e-mail address and a password, both
 * required, named for the browser's password manager by `autoComplete`.
 */

export function EmailField({
  id,
  autoComplete,
  value,
  onChange,
  error,
}: {
  id: string;
  /** "username" on the log-in form (the account's name), "email" elsewhere. */
  autoComplete: "username" | "email";
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
}) {
  const { t } = useI18n();
  return (
    <TextField
      id={id}
      name="email"
      label={t("field.email")}
      type="email"
      autoComplete={autoComplete}
      inputMode="email"
      value={value}
      onChange={onChange}
      error={error}
      required
    />
  );
}

export function PasswordField({
  id,
  name,
  label,
  autoComplete,
  hint,
  value,
  onChange,
  error,
}: {
  id: string;
  name: string;
  label: string;
  autoComplete: "current-password" | "new-password";
  hint?: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
}) {
  return (
    <TextField
      id={id}
      name={name}
      label={label}
      type="password"
      autoComplete={autoComplete}
      hint={hint}
      value={value}
      onChange={onChange}
      error={error}
      required
    />
  );
}
