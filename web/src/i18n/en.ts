/**
 * English: the source of the message keys. A key added here must be added to every other
 * language (nl, de, da, lv) or `tsc` fails; `{name}` placeholders must match too (a Vitest
 * test checks it). The customer tabs keep the labels of CPS's guides (MY ACCOUNT...).
 */
import { apply } from "./features/apply";
import { account } from "./features/account";
import { products } from "./features/products";
import { subscriptions } from "./features/subscriptions";
import { backoffice } from "./features/backoffice";

export const en = {
  ...apply.en,
  ...account.en,
  ...products.en,
  ...subscriptions.en,
  ...backoffice.en,
  "app.name": "Canon Professional Services",
  "app.skipToContent": "Skip to main content",
  "app.loading": "Loading…",
  "app.startFailed": "The site could not start: its configuration could not be loaded. Please try again later.",

  "nav.label": "Main",
  "nav.account": "MY ACCOUNT",
  "nav.products": "MY PRODUCTS",
  "nav.subscriptions": "MY SUBSCRIPTIONS",
  "nav.review": "Review",
  "nav.finance": "Finance",
  "nav.legacyImport": "Legacy import",
  "nav.apply": "Apply",
  "nav.login": "Log in",
  "nav.logout": "Log out",

  "language.label": "Language",
  "language.changed": "The page is now in English.",

  "field.email": "E-mail address",
  "field.password": "Password",
  "field.newPassword": "New password",
  "field.confirmPassword": "Repeat the new password",
  "field.mfaCode": "Six-digit code",
  "field.errorPrefix": "Error:",

  "validation.required": "Fill in this field.",
  "validation.email": "Enter an e-mail address such as name@company.com.",
  "validation.passwordPolicy": "Use at least 12 characters with a lower-case letter, an upper-case letter and a digit, and no spaces at the start or end.",
  "validation.passwordMismatch": "The two passwords are not the same.",
  "validation.mfaCode": "Enter the six digits your authenticator app shows.",

  "form.checkFields": "Please check the fields marked with an error.",
  "form.sending": "Sending…",

  "error.network": "The service cannot be reached. Check your connection and try again.",
  "error.generic": "Something went wrong on our side. Please try again.",

  "session.loggedIn": "You are logged in.",
  "session.loggedOut": "You are logged out.",
  "session.expired": "Your session has ended. Please log in again.",

  "login.title": "Log in",
  "login.intro": "Log in with the e-mail address of your business account.",
  "login.submit": "Log in",
  "login.failed": "The e-mail address or the password is not correct.",
  "login.forgot": "Forgot your password?",
  "login.noAccount": "No business account yet?",
  "login.applyLink": "Apply for one",
  "login.mfaTitle": "Enter your authentication code",
  "login.mfaIntro": "Open your authenticator app and enter the six-digit code it shows for Canon CPS.",
  "login.mfaSubmit": "Verify",
  "login.mfaFailed": "The code is not correct or has expired. Enter the code the app shows now.",
  "login.setupTitle": "Add an authenticator app",
  "login.setupIntro": "Back-office accounts need an authenticator app. Add this secret key to your app (or open the set-up link on your phone), then enter the code the app shows.",
  "login.setupSecret": "Secret key",
  "login.setupUri": "Set-up link (otpauth)",
  "login.setupSubmit": "Confirm",
  "login.setupDone": "Your authenticator app is added. Log in again with your password and a code from the app.",
  "login.startOver": "Start again",

  "resetPassword.title": "Reset your password",
  "resetPassword.intro": "Enter the e-mail address of your business account. If it has an account, we send it a link to set a new password.",
  "resetPassword.submit": "Send the link",
  "resetPassword.sent": "If {email} belongs to a business account, a link to set a new password is on its way. It can take a few minutes; one link is sent per 15 minutes.",
  "resetPassword.backToLogin": "Back to log in",

  "setPassword.title": "Set your password",
  "setPassword.intro": "Choose the password of your business account. A new password ends every session opened with the old one.",
  "setPassword.hint": "At least 12 characters, with a lower-case letter, an upper-case letter and a digit.",
  "setPassword.submit": "Set password",
  "setPassword.done": "Your password is set. You can log in now.",
  "setPassword.missingToken": "This link is incomplete. Open the link in the e-mail again, or ask for a new one.",
  "setPassword.invalidToken": "This link is invalid, has already been used or has expired. Ask for a new one.",
  "setPassword.requestNew": "Ask for a new link",
  "setPassword.toLogin": "Log in",

  "apply.title": "Apply for a business account",
  "apply.intro": "Tell us about your company and upload a proof document. A reviewer decides within 2 business days.",
  "applicationStatus.title": "Your application",
  "applicationStatus.intro": "The status of your application for a business account.",
  "migrationConfirm.title": "Confirm your old CPS e-mail address",
  "migrationConfirm.intro": "Confirm that the products of your old CPS account may move to your new business account.",
  "account.title": "My Account",
  "account.intro": "Your company, your points and your CPS membership.",
  "products.title": "My Products",
  "products.intro": "Register your Canon products to collect points.",
  "product.title": "Product details",
  "product.intro": "The details of a registered product.",
  "signUp.title": "Sign up for CPS",
  "signUp.intro": "Stay ahead of the competition and stay up and running with Canon Professional Services.",
  "membership.title": "Manage subscription",
  "membership.intro": "Your CPS membership: its status, auto-renewal, renewal tier and payment method.",
  "membershipPayment.title": "Pay your invoice",
  "membershipPayment.intro": "Pay an open invoice of your CPS membership.",
  "invoices.title": "Invoices",
  "invoices.intro": "Your CPS invoices and credit notes.",
  "review.title": "Applications to review",
  "review.intro": "Business-account applications waiting for a decision.",
  "finance.title": "Receivables",
  "finance.intro": "Open and overdue invoices, and bank transfers to record.",
  "legacyImports.title": "Legacy import",
  "legacyImports.intro": "Upload an export of the old CPS system.",
  "notFound.title": "Page not found",
  "notFound.intro": "There is no page at this address.",
  "forbidden.title": "Not allowed",
  "forbidden.intro": "This page is for Canon's back office.",
  "home.link": "Go to the start page",
} as const;

export type MessageKey = keyof typeof en;
export type Messages = { readonly [key in MessageKey]: string };
