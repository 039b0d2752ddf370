import { useI18n } from "../../i18n/I18nProvider";

/** A field's error under it (as TextField shows it), tied to the field by its id. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  const { t } = useI18n();
  if (!message) return null;
  return (
    <p id={id} className="field__error">
      <span className="visually-hidden">{t("field.errorPrefix")} </span>
      {message}
    </p>
  );
}
