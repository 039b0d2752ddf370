import type { RouteObject } from "react-router";

import { RequireLogin, RequireReviewer } from "./auth/guards";
import { Shell } from "./layout/Shell";
import { AccountPage } from "./pages/AccountPage";
import { ApplicationStatusPage } from "./pages/ApplicationStatusPage";
import { ApplyPage } from "./pages/ApplyPage";
import { FinanceInvoicesPage } from "./pages/FinanceInvoicesPage";
import { HomeRedirect } from "./pages/HomeRedirect";
import { InvoicesPage } from "./pages/InvoicesPage";
import { LegacyImportsPage } from "./pages/LegacyImportsPage";
import { LoginPage } from "./pages/LoginPage";
import { MembershipPage } from "./pages/MembershipPage";
import { MembershipPaymentPage } from "./pages/MembershipPaymentPage";
import { MigrationConfirmPage } from "./pages/MigrationConfirmPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { ProductPage } from "./pages/ProductPage";
import { ProductsPage } from "./pages/ProductsPage";
import { ResetPasswordPage } from "./pages/ResetPasswordPage";
import { ReviewApplicationsPage } from "./pages/ReviewApplicationsPage";
import { SetPasswordPage } from "./pages/SetPasswordPage";
import { SignUpPage } from "./pages/SignUpPage";
import { paths } from "./paths";

/**
 * Every page of the app. A new screen: a component in src/pages/, its path in paths.ts, and
 * a line here under the guard it needs (public, RequireLogin, RequireReviewer).
 */
export const routes: RouteObject[] = [
  {
    element: <Shell />,
    children: [
      { path: paths.home, element: <HomeRedirect /> },
      // Public: visitors, applicants, and the links of the e-mails.
      { path: paths.login, element: <LoginPage /> },
      { path: paths.apply, element: <ApplyPage /> },
      { path: paths.applicationStatus, element: <ApplicationStatusPage /> },
      { path: paths.setPassword, element: <SetPasswordPage /> },
      { path: paths.resetPassword, element: <ResetPasswordPage /> },
      { path: paths.migrationConfirm, element: <MigrationConfirmPage /> },
      {
        element: <RequireLogin />,
        children: [
          { path: paths.account, element: <AccountPage /> },
          { path: paths.products, element: <ProductsPage /> },
          { path: paths.product, element: <ProductPage /> },
          { path: paths.signUp, element: <SignUpPage /> },
          { path: paths.membership, element: <MembershipPage /> },
          { path: paths.membershipPayment, element: <MembershipPaymentPage /> },
          { path: paths.invoices, element: <InvoicesPage /> },
        ],
      },
      {
        element: <RequireReviewer />,
        children: [
          { path: paths.reviewApplications, element: <ReviewApplicationsPage /> },
          { path: paths.financeInvoices, element: <FinanceInvoicesPage /> },
          { path: paths.legacyImports, element: <LegacyImportsPage /> },
        ],
      },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];
