import { useMemo } from "react";

import { TextField } from "../TextField";
import { countryOptions } from "../apply/countries";
import { SelectField } from "../forms/fields";
import { useI18n } from "../../i18n/I18nProvider";
import type { Detail, DetailsForm } from "./details";

/** The ids of the four detail inputs under a prefix, in form order (for focusFirstProblem). */
export function detailIds(prefix: string): Record<Detail, string> {
  return {
    serial_number: `${prefix}-serial`,
    purchase_date: `${prefix}-purchase-date`,
    country_of_purchase: `${prefix}-country`,
    dealer: `${prefix}-dealer`,
  };
}

/**
 * Serial number, purchase date, country of purchase and dealer: the four details of a
 * registration (SPEC §2), each optional here but needed for the green tick.
 */
export function DetailsFields({
  prefix,
  form,
  onChange,
  errorOf,
}: {
  prefix: string;
  form: DetailsForm;
  onChange: (detail: Detail, value: string) => void;
  errorOf: (detail: Detail) => string | undefined;
}) {
  const { t, language } = useI18n();
  const ids = detailIds(prefix);
  const countries = useMemo(
    () => countryOptions(language).map((country) => ({ value: country.code, label: country.name })),
    [language],
  );
  return (
    <>
      <TextField
        id={ids.serial_number}
        label={t("products.detail.serialLabel")}
        hint={t("products.serialHint")}
        value={form.serial_number}
        onChange={(value) => onChange("serial_number", value)}
        error={errorOf("serial_number")}
        maxLength={60}
      />
      <TextField
        id={ids.purchase_date}
        label={t("products.detail.dateLabel")}
        hint={t("products.dateHint")}
        type="date"
        value={form.purchase_date}
        onChange={(value) => onChange("purchase_date", value)}
        error={errorOf("purchase_date")}
      />
      <SelectField
        id={ids.country_of_purchase}
        label={t("products.detail.countryLabel")}
        value={form.country_of_purchase}
        onChange={(value) => onChange("country_of_purchase", value)}
        emptyLabel={t("products.chooseCountry")}
        options={countries}
        error={errorOf("country_of_purchase")}
      />
      <TextField
        id={ids.dealer}
        label={t("products.detail.dealerLabel")}
        hint={t("products.dealerHint")}
        value={form.dealer}
        onChange={(value) => onChange("dealer", value)}
        error={errorOf("dealer")}
        maxLength={200}
      />
    </>
  );
}
