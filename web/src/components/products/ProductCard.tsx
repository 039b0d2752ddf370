import { Link } from "react-router";

import { useI18n } from "../../i18n/I18nProvider";
import { pathTo, paths } from "../../paths";
import { countryName } from "../apply/countries";
import { DETAIL_LABELS, isDetail, type Product } from "./details";

/** "serial number, dealer": the missing details in words. */
export function useMissingWords(): (missing: readonly string[]) => string {
  const { t } = useI18n();
  return (missing) => missing.map((name) => (isDetail(name) ? t(DETAIL_LABELS[name]) : name)).join(", ");
}

/** The green tick and its words, or what is missing for it. */
export function CompletionBadge({ product }: { product: Product }) {
  const { t, number } = useI18n();
  const missingWords = useMissingWords();
  if (product.complete) {
    return (
      <p className="completion completion--complete">
        <span className="tick" aria-hidden="true">
          ✓
        </span>{" "}
        {t("products.complete", { points: number(product.points) })}
      </p>
    );
  }
  return (
    <p className="completion completion--incomplete">
      {t("products.incomplete", { details: missingWords(product.missing) })}
    </p>
  );
}

/** A registration's details as a definition list (what is not given says so). */
export function ProductFacts({ product }: { product: Product }) {
  const { t, date, number, language } = useI18n();
  const notGiven = <span className="not-given">{t("products.notGiven")}</span>;
  return (
    <dl className="product-facts">
      <dt>{t("products.detail.serialLabel")}</dt>
      <dd>{product.serial_number ?? notGiven}</dd>
      <dt>{t("products.detail.dateLabel")}</dt>
      <dd>{product.purchase_date ? date(product.purchase_date) : notGiven}</dd>
      <dt>{t("products.detail.countryLabel")}</dt>
      <dd>{product.country_of_purchase ? countryName(product.country_of_purchase, language) : notGiven}</dd>
      <dt>{t("products.detail.dealerLabel")}</dt>
      <dd>{product.dealer ?? notGiven}</dd>
      <dt>{t("products.points")}</dt>
      <dd>{number(product.points)}</dd>
      <dt>{t("products.source")}</dt>
      <dd>{t(product.source === "MIGRATED" ? "products.source.MIGRATED" : "products.source.REGISTERED")}</dd>
    </dl>
  );
}

/** One registration in MY PRODUCTS: name, the tick or what is missing, details, View product. */
export function ProductCard({ product }: { product: Product }) {
  const { t } = useI18n();
  return (
    <li className="product-card">
      <h3>{product.name}</h3>
      <CompletionBadge product={product} />
      <ProductFacts product={product} />
      <p>
        {/* The visible "View product" starts the name, which says which product (label in name). */}
        <Link
          to={pathTo(paths.product, { id: product.product_id })}
          aria-label={`${t("products.view")}: ${product.name}${product.serial_number ? ` (${product.serial_number})` : ""}`}
        >
          {t("products.view")}
        </Link>
      </p>
    </li>
  );
}
