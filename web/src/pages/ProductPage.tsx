import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";

import { announce } from "../a11y/announcer";
import { api, call } from "../api/client";
import { ApiError } from "../api/errors";
import { FormMessage } from "../components/FormMessage";
import { Page } from "../components/Page";
import {
  changedDetails,
  checkDetails,
  detailsOf,
  type Detail,
  type DetailsForm,
  type Product,
} from "../components/products/details";
import { DetailsFields, detailIds } from "../components/products/DetailsFields";
import { CompletionBadge, ProductFacts, useMissingWords } from "../components/products/ProductCard";
import "../components/products/products.css";
import { failureOf, type Failure } from "../forms/failure";
import { focusFirstProblem } from "../forms/validation";
import type { MessageKey } from "../i18n/en";
import { useI18n } from "../i18n/I18nProvider";
import { paths } from "../paths";
import type { AfterRemoval } from "./ProductsPage";

const PREFIX = "product";
const FIELD_IDS = detailIds(PREFIX);

/**
 * /products/:id (View product): the registration (GET), its details completed or corrected
 * (PATCH: only what changed), or removed (DELETE, after a confirmation step that says its
 * points are taken back).
 */
export function ProductPage() {
  const { t, number } = useI18n();
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const missingWords = useMissingWords();
  const [product, setProduct] = useState<Product | null>(null);
  const [loadFailure, setLoadFailure] = useState<MessageKey | null>(null);
  const [form, setForm] = useState<DetailsForm | null>(null);
  const [problems, setProblems] = useState<Partial<Record<Detail, MessageKey>>>({});
  const [failure, setFailure] = useState<Failure | null>(null);
  const [saved, setSaved] = useState<{ tone: "success" | "info"; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [removeFailure, setRemoveFailure] = useState<MessageKey | null>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const removeButtonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let cancelled = false;
    call(api().GET("/products/{product_id}", { params: { path: { product_id: id } } }))
      .then((answer) => {
        if (cancelled) return;
        setProduct(answer);
        setForm(detailsOf(answer));
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        const message: MessageKey =
          error instanceof ApiError && error.status === 404 ? "products.notFound" : failureOf(error).message;
        setLoadFailure(message);
        announce(t(message));
      });
    return () => {
      cancelled = true;
    };
    // t is left out on purpose: a language switch does not need the product again.
  }, [id]);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  if (product === null || form === null) {
    return (
      <Page title={t("product.title")}>
        {loadFailure ? (
          <>
            <FormMessage tone="error">{t(loadFailure)}</FormMessage>
            <p>
              <Link to={paths.products}>{t("products.backToList")}</Link>
            </p>
          </>
        ) : (
          <p>{t("app.loading")}</p>
        )}
      </Page>
    );
  }
  const current = product;

  async function save(event: FormEvent) {
    event.preventDefault();
    if (form === null) return;
    const found = checkDetails(form);
    setProblems(found);
    setFailure(null);
    setSaved(null);
    if (Object.keys(found).length > 0) {
      announce(t("form.checkFields"));
      focusFirstProblem(found, FIELD_IDS);
      return;
    }
    const changes = changedDetails(detailsOf(current), form);
    if (Object.keys(changes).length === 0) {
      setSaved({ tone: "info", text: t("products.nothingChanged") });
      announce(t("products.nothingChanged"));
      return;
    }
    setSaving(true);
    try {
      const updated = await call(
        api().PATCH("/products/{product_id}", { params: { path: { product_id: current.product_id } }, body: changes }),
      );
      setProduct(updated);
      setForm(detailsOf(updated));
      const earned = updated.points - current.points;
      const text = updated.complete
        ? earned > 0
          ? t("products.savedComplete", { points: number(earned) })
          : t("products.saved")
        : t("products.savedIncomplete", {
            details: missingWords(updated.missing),
          });
      setSaved({ tone: "success", text });
      announce(text);
    } catch (error) {
      const failed = failureOf(error, { 409: "products.serialTaken" });
      setFailure(failed);
      announce(t(failed.message));
      focusFirstProblem(failed.fields, FIELD_IDS);
    } finally {
      setSaving(false);
    }
  }

  async function remove() {
    setRemoving(true);
    setRemoveFailure(null);
    try {
      await call(api().DELETE("/products/{product_id}", { params: { path: { product_id: current.product_id } } }));
      const state: AfterRemoval = { removed: { name: current.name, points: current.points } };
      announce(
        current.points > 0
          ? t("products.removedWithPoints", { name: current.name, points: number(current.points) })
          : t("products.removed", { name: current.name }),
      );
      navigate(paths.products, { state });
    } catch (error) {
      const message = failureOf(error).message;
      setRemoveFailure(message);
      announce(t(message));
      setRemoving(false);
    }
  }

  const errorOf = (detail: Detail): string | undefined => {
    const problem = problems[detail];
    if (problem) return t(problem);
    if (detail === "serial_number" && failure?.message === "products.serialTaken") return t("products.serialTakenShort");
    return failure?.fields[detail];
  };

  return (
    <Page title={t("product.title")}>
      <p>
        <Link to={paths.products}>{t("products.backToList")}</Link>
      </p>
      <section className="card" aria-labelledby="product-heading">
        <h2 id="product-heading">{current.name}</h2>
        <CompletionBadge product={current} />
        <ProductFacts product={current} />
      </section>

      <form noValidate onSubmit={save} aria-labelledby="product-edit-heading">
        <h2 id="product-edit-heading">{t(current.complete ? "products.editTitle" : "products.completeTitle")}</h2>
        <p>{t("products.editIntro")}</p>
        <DetailsFields
          prefix={PREFIX}
          form={form}
          onChange={(detail, value) => setForm((before) => (before ? { ...before, [detail]: value } : before))}
          errorOf={errorOf}
        />
        {failure ? <FormMessage tone="error">{t(failure.message)}</FormMessage> : null}
        {saved ? <FormMessage tone={saved.tone}>{saved.text}</FormMessage> : null}
        <button type="submit" className="button" disabled={saving}>
          {saving ? t("form.sending") : t("products.save")}
        </button>
      </form>

      <section className="danger-zone" aria-labelledby="product-remove-heading">
        <h2 id="product-remove-heading">{t("products.removeTitle")}</h2>
        {confirming ? (
          <div ref={confirmRef} tabIndex={-1} className="confirm-box">
            <p>
              {current.points > 0
                ? t("products.removeConfirmPoints", { name: current.name, points: number(current.points) })
                : t("products.removeConfirm", { name: current.name })}
            </p>
            {removeFailure ? <FormMessage tone="error">{t(removeFailure)}</FormMessage> : null}
            <div className="button-row">
              <button type="button" className="button" onClick={() => void remove()} disabled={removing}>
                {removing ? t("form.sending") : t("products.removeYes")}
              </button>
              <button
                type="button"
                className="button button--secondary"
                onClick={() => {
                  setConfirming(false);
                  setRemoveFailure(null);
                  setTimeout(() => removeButtonRef.current?.focus(), 0);
                }}
              >
                {t("products.removeNo")}
              </button>
            </div>
          </div>
        ) : (
          <>
            <p>{t("products.removeIntro")}</p>
            <button
              ref={removeButtonRef}
              type="button"
              className="button button--secondary"
              onClick={() => setConfirming(true)}
            >
              {t("products.removeButton")}
            </button>
          </>
        )}
      </section>
    </Page>
  );
}
