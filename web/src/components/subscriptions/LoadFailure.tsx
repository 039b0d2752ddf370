import { useI18n } from "../../i18n/I18nProvider";
import { FormMessage } from "../FormMessage";

/** A read that failed: its message, then "Try again" (a link-styled button) when it can be retried. */
export function LoadFailure({ message, onRetry }: { message: string; onRetry?: (() => void) | undefined }) {
  const { t } = useI18n();
  return (
    <FormMessage tone="error">
      {message}{" "}
      {onRetry ? (
        <button type="button" className="link-button sub-inline-link" onClick={() => onRetry()}>
          {t("subscriptions.retry")}
        </button>
      ) : null}
    </FormMessage>
  );
}
