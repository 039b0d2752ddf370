/**
 * The frontend's paths. The API's e-mails link to several of them (chalicelib/services:
 * `frontend_url` + path), so those must not change: /login, /apply, /set-password?token=,
 * /migration/confirm?token=, /products, /cps/sign-up, /membership,
 * /membership/payment?invoice=, /review/applications.
 */
export const paths = {
  home: "/",
  apply: "/apply",
  applicationStatus: "/applications/:id",
  setPassword: "/set-password",
  resetPassword: "/reset-password",
  login: "/login",
  migrationConfirm: "/migration/confirm",
  account: "/account",
  products: "/products",
  product: "/products/:id",
  signUp: "/cps/sign-up",
  membership: "/membership",
  membershipPayment: "/membership/payment",
  invoices: "/invoices",
  reviewApplications: "/review/applications",
  financeInvoices: "/finance/invoices",
  legacyImports: "/ops/legacy-imports",
} as const;

/** `/applications/:id` with its id filled in (ids are URL-encoded). */
export function pathTo(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/:(\w+)/g, (whole, name: string) =>
    name in params ? encodeURIComponent(params[name]!) : whole,
  );
}
