import { useId } from "react";

import { useI18n } from "../../i18n/I18nProvider";

/**
 * An ON/OFF switch (the seed's "ON/OFF" under "CPS subscriptions available"): a button with
 * role="switch" and aria-checked, named by its visible label, its hint read with it.
 */
export function Switch({
  label,
  hint,
  checked,
  onChange,
  busy = false,
}: {
  label: string;
  hint?: string | undefined;
  checked: boolean;
  onChange: (checked: boolean) => void;
  busy?: boolean;
}) {
  const { t } = useI18n();
  const id = useId();
  const labelId = `${id}-label`;
  const hintId = `${id}-hint`;
  return (
    <div className="sub-switch">
      <span id={labelId} className="sub-switch__label">
        {label}
      </span>
      <button
        type="button"
        role="switch"
        aria-checked={checked}
        aria-labelledby={labelId}
        aria-describedby={hint ? hintId : undefined}
        aria-busy={busy || undefined}
        disabled={busy}
        className="sub-switch__control"
        onClick={() => onChange(!checked)}
      >
        <span className="sub-switch__track" aria-hidden="true">
          <span className="sub-switch__thumb" />
        </span>
        <span className="sub-switch__state" aria-hidden="true">
          {checked ? t("subscriptions.switch.on") : t("subscriptions.switch.off")}
        </span>
      </button>
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
