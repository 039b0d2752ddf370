import { useCallback, useEffect, useRef, useState } from "react";
import { useLocation, useNavigate } from "react-router";

import { announce } from "../a11y/announcer";
import { api, call } from "../api/client";
import type { components } from "../api/schema";
import { FormMessage } from "../components/FormMessage";
import { Page } from "../components/Page";
import { DETAIL_LABELS, isDetail, type Product } from "../components/products/details";
import { MigrationSection, type Migration } from "../components/products/MigrationSection";
import { ProductCard } from "../components/products/ProductCard";
import "../components/products/products.css";
import { RegisterProductForm } from "../components/products/RegisterProductForm";
import { failureOf } from "../forms/failure";
import type { MessageKey } from "../i18n/en";
import { useI18n } from "../i18n/I18nProvider";

type MigrationResult = components["schemas"]["MigrationOut"];

/** What View product tells this page after a removal. */
export interface AfterRemoval {
  removed: { name: string; points: number };
}

const PAGE_SIZE = 20;

interface Notice {
  tone: "success" | "error" | "info";
  text: string;
  skipped?: MigrationResult["skipped"];
}

/**
 * /products (MY PRODUCTS): the registrations (GET /products, paged), each with the green
 * tick or what it misses; REGISTER A PRODUCT (catalogue search and the four details → POST
 * /products); the products of the old CPS account (GET /migration) and MIGRATE PRODUCTS
 * (POST /migration). The company's points (GET /me) are shown, and each change is announced.
 */
export function ProductsPage() {
  const { t, number } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const [products, setProducts] = useState<Product[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [migration, setMigration] = useState<Migration | null>(null);
  const [points, setPoints] = useState<number | null>(null);
  const [failure, setFailure] = useState<MessageKey | null>(null);
  const [registering, setRegistering] = useState(false);
  const [migrating, setMigrating] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(() => {
    const removed = (location.state as AfterRemoval | null)?.removed;
    return removed ? { tone: "success", text: removedText(removed) } : null;
  });

  // The removal's message is for this visit only, not for a reload.
  useEffect(() => {
    if (location.state !== null) void navigate(location.pathname, { replace: true, state: null });
  }, [location.state, location.pathname, navigate]);

  // After a registration or a migration the button or form that had the focus is gone: the
  // focus moves to the message that says what happened.
  const focusNotice = useRef(false);
  const registerButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (notice !== null && focusNotice.current) {
      focusNotice.current = false;
      document.getElementById("products-notice")?.focus();
    }
  }, [notice]);

  function removedText(removed: AfterRemoval["removed"]): string {
    return removed.points > 0
      ? t("products.removedWithPoints", { name: removed.name, points: number(removed.points) })
      : t("products.removed", { name: removed.name });
  }

  const loadProducts = useCallback(async () => {
    const page = await call(api().GET("/products", { params: { query: { limit: PAGE_SIZE } } }));
    setProducts(page.items);
    setNextCursor(page.next_cursor);
  }, []);

  const loadMigration = useCallback(async () => {
    setMigration(await call(api().GET("/migration")));
  }, []);

  /** The company's points now; the new total, to announce when it changed. */
  const loadPoints = useCallback(async (): Promise<number> => {
    const me = await call(api().GET("/me"));
    setPoints(me.points);
    return me.points;
  }, []);

  useEffect(() => {
    let cancelled = false;
    Promise.all([loadProducts(), loadMigration(), loadPoints()]).catch((error: unknown) => {
      if (cancelled) return;
      const message = failureOf(error).message;
      setFailure(message);
      announce(t(message));
    });
    return () => {
      cancelled = true;
    };
    // t is left out on purpose: a language switch does not load the lists again.
  }, [loadProducts, loadMigration, loadPoints]);

  async function loadMore() {
    if (nextCursor === null) return;
    setLoadingMore(true);
    try {
      const page = await call(api().GET("/products", { params: { query: { limit: PAGE_SIZE, cursor: nextCursor } } }));
      setProducts((current) => [...(current ?? []), ...page.items]);
      setNextCursor(page.next_cursor);
      announce(t("products.moreLoaded", { count: number(page.items.length) }));
    } catch (error) {
      const message = failureOf(error).message;
      setNotice({ tone: "error", text: t(message) });
      announce(t(message));
    } finally {
      setLoadingMore(false);
    }
  }

  /** Shows and announces what happened, with the company's new points when they changed. */
  async function tell(text: string, before: number | null, tone: Notice["tone"] = "success", skipped?: Notice["skipped"]) {
    let said = text;
    try {
      const after = await loadPoints();
      if (after !== before) said = `${text} ${t("products.pointsNow", { points: number(after) })}`;
    } catch {
      // the points line keeps its last value; the change itself is done
    }
    setNotice({ tone, text: said, ...(skipped ? { skipped } : {}) });
    announce(said);
  }

  async function registered(product: Product) {
    setRegistering(false);
    const missing = product.missing.map((name) => (isDetail(name) ? t(DETAIL_LABELS[name]) : name)).join(", ");
    const text = product.complete
      ? t("products.registeredComplete", { name: product.name, points: number(product.points) })
      : t("products.registeredIncomplete", { name: product.name, details: missing });
    focusNotice.current = true;
    await Promise.all([loadProducts().catch(() => undefined), tell(text, points)]);
  }

  async function migrate() {
    setMigrating(true);
    setNotice(null);
    try {
      const result = await call(api().POST("/migration"));
      const text = result.already_migrated
        ? t("products.migration.already")
        : t("products.migration.result", { count: number(result.migrated), points: number(result.points_added) });
      focusNotice.current = true;
      await Promise.all([
        loadProducts().catch(() => undefined),
        loadMigration().catch(() => undefined),
        tell(text, points, "success", result.skipped.length > 0 ? result.skipped : undefined),
      ]);
    } catch (error) {
      const message = failureOf(error, { 409: "products.migration.notConfirmed" }).message;
      setNotice({ tone: "error", text: t(message) });
      announce(t(message));
      void loadMigration().catch(() => undefined);
    } finally {
      setMigrating(false);
    }
  }

  if (products === null || migration === null) {
    return (
      <Page title={t("products.title")}>
        {failure ? <FormMessage tone="error">{t(failure)}</FormMessage> : <p>{t("app.loading")}</p>}
      </Page>
    );
  }

  return (
    <Page title={t("products.title")}>
      <p>{t("products.intro")}</p>
      {points !== null ? (
        <p className="points-line">{t("products.pointsLine", { points: number(points) })}</p>
      ) : null}
      {notice ? (
        <div id="products-notice" tabIndex={-1}>
          <FormMessage tone={notice.tone}>
            {notice.text}
            {notice.skipped ? (
              <>
                {" "}
                {t("products.migration.skipped")}
                <ul>
                  {notice.skipped.map((item) => (
                    <li key={`${item.sku}-${item.serial_number ?? ""}`}>
                      {item.name}
                      {item.serial_number ? ` (${item.serial_number})` : ""}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </FormMessage>
        </div>
      ) : null}

      <div className="button-row products-actions">
        <button
          ref={registerButton}
          type="button"
          className="button"
          aria-expanded={registering}
          aria-controls="register-region"
          onClick={() => {
            setRegistering((open) => !open);
            setNotice(null);
          }}
        >
          {t("products.register")}
        </button>
        {migration.available ? (
          <button type="button" className="button button--blue" onClick={() => void migrate()} disabled={migrating}>
            {migrating ? t("form.sending") : t("products.migrate")}
          </button>
        ) : null}
      </div>

      <div id="register-region">
        {registering ? (
          <RegisterProductForm
            onRegistered={(product) => void registered(product)}
            onCancel={() => {
              setRegistering(false);
              registerButton.current?.focus();
            }}
          />
        ) : null}
      </div>

      <section aria-labelledby="registered-heading">
        <h2 id="registered-heading">{t("products.listTitle")}</h2>
        {products.length === 0 ? (
          <div className="empty-state">
            <p>
              <strong>{t("products.empty")}</strong>
            </p>
            <p>{t("products.emptyHint")}</p>
          </div>
        ) : (
          <>
            <p>{t("products.tickExplained")}</p>
            <ul className="product-list">
              {products.map((product) => (
                <ProductCard key={product.product_id} product={product} />
              ))}
            </ul>
            {nextCursor !== null ? (
              <button type="button" className="button button--secondary" onClick={() => void loadMore()} disabled={loadingMore}>
                {loadingMore ? t("app.loading") : t("products.more")}
              </button>
            ) : null}
          </>
        )}
      </section>

      <MigrationSection migration={migration} onChanged={() => void loadMigration().catch(() => undefined)} />
    </Page>
  );
}
