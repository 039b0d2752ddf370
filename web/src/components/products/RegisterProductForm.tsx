import { useState, type FormEvent } from "react";

import { announce } from "../../a11y/announcer";
import { api, call } from "../../api/client";
import { failureOf, type Failure } from "../../forms/failure";
import { focusFirstProblem } from "../../forms/validation";
import type { MessageKey } from "../../i18n/en";
import { useI18n } from "../../i18n/I18nProvider";
import { FormMessage } from "../FormMessage";
import { CatalogSearch } from "./CatalogSearch";
import {
  checkDetails,
  DETAIL_LABELS,
  detailsBody,
  EMPTY_DETAILS,
  missingIn,
  type CatalogItem,
  type Detail,
  type DetailsForm,
  type Product,
} from "./details";
import { DetailsFields, detailIds } from "./DetailsFields";

const PREFIX = "register";
const SEARCH_ID = "register-product";
const FIELD_IDS = { sku: SEARCH_ID, ...detailIds(PREFIX) };
type Field = keyof typeof FIELD_IDS;

/**
 * REGISTER A PRODUCT: a product of the catalogue and its four details → POST /products. A
 * registration without every detail is kept (no green tick, no points yet); a serial number
 * registered anywhere already is a 409, said beside the serial number.
 */
export function RegisterProductForm({
  onRegistered,
  onCancel,
}: {
  onRegistered: (product: Product) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [product, setProduct] = useState<CatalogItem | null>(null);
  const [details, setDetails] = useState<DetailsForm>(EMPTY_DETAILS);
  const [problems, setProblems] = useState<Partial<Record<Field, MessageKey>>>({});
  const [failure, setFailure] = useState<Failure | null>(null);
  const [sending, setSending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: Partial<Record<Field, MessageKey>> = {
      ...(product === null ? { sku: "products.productRequired" as const } : {}),
      ...checkDetails(details),
    };
    setProblems(found);
    setFailure(null);
    if (Object.keys(found).length > 0 || product === null) {
      announce(t("form.checkFields"));
      focusFirstProblem(found, FIELD_IDS);
      return;
    }
    setSending(true);
    try {
      const created = await call(api().POST("/products", { body: { sku: product.sku, ...detailsBody(details) } }));
      onRegistered(created);
    } catch (error) {
      const failed = failureOf(error, { 409: "products.serialTaken" });
      const fields =
        failed.message === "products.serialTaken" && !failed.fields.serial_number
          ? { ...failed.fields, serial_number: t("products.serialTakenShort") }
          : failed.fields;
      setFailure({ message: failed.message, fields });
      announce(t(failed.message));
      focusFirstProblem(fields, FIELD_IDS);
    } finally {
      setSending(false);
    }
  }

  const errorOf = (field: Field): string | undefined => {
    const problem = problems[field];
    if (problem) return t(problem);
    const server = failure?.fields[field];
    if (server && field === "serial_number" && failure?.message === "products.serialTaken") {
      return t("products.serialTakenShort");
    }
    return server;
  };
  const missing = missingIn(details);

  return (
    <form noValidate onSubmit={submit} className="register-form" aria-labelledby="register-heading">
      <h2 id="register-heading">{t("products.registerTitle")}</h2>
      <p>{t("products.registerIntro")}</p>
      <CatalogSearch id={SEARCH_ID} selected={product} onSelect={setProduct} error={errorOf("sku")} />
      <DetailsFields
        prefix={PREFIX}
        form={details}
        onChange={(detail: Detail, value) => setDetails((current) => ({ ...current, [detail]: value }))}
        errorOf={errorOf}
      />
      {missing.length > 0 ? (
        <FormMessage tone="info">
          {t("products.incompleteNote", { details: missing.map((detail) => t(DETAIL_LABELS[detail])).join(", ") })}
        </FormMessage>
      ) : null}
      {failure ? <FormMessage tone="error">{t(failure.message)}</FormMessage> : null}
      <div className="button-row">
        <button type="submit" className="button" disabled={sending}>
          {sending ? t("form.sending") : t("products.registerSubmit")}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t("products.cancel")}
        </button>
      </div>
    </form>
  );
}
