import type { ReactNode } from "react";

import type { Failure } from "../../forms/failure";
import { useI18n } from "../../i18n/I18nProvider";
import { FormMessage } from "../FormMessage";

/**
 * Why the form's request failed, above its button; nothing without a failure. `children`
 * (a way out, such as "Ask for a new link") follows the message after a space.
 */
export function FormFailure({
  failure,
  id,
  children,
}: {
  failure: Failure | null;
  id?: string;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  if (!failure) return null;
  return (
    <FormMessage tone="error" id={id}>
      {t(failure.message)}
      {children !== undefined ? <>{" "}{children}</> : null}
    </FormMessage>
  );
}

/** The form's submit button: "Sending…" and disabled while the request is under way. */
export function SubmitButton({ sending, children }: { sending: boolean; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <button type="submit" className="button" disabled={sending}>
      {sending ? t("form.sending") : children}
    </button>
  );
}
