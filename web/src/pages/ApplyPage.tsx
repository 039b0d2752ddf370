import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";

import { announce } from "../a11y/announcer";
import { api, call } from "../api/client";
import { rememberStatusToken } from "../api/statusToken";
import {
  allowedDocuments,
  APPLICATION_FIELD_IDS,
  applicationBody,
  checkApplication,
  DOCUMENT_ACCEPT,
  emptyApplication,
  isVatRegistered,
  serverFieldErrors,
  type ApplicationField,
  type ApplicationForm,
  type DocumentType,
} from "../components/apply/applicationForm";
import "../components/apply/apply.css";
import { countryOptions } from "../components/apply/countries";
import { CheckboxField, ChoiceGroup, FileField, SelectField } from "../components/forms/fields";
import { uploadDocument } from "../components/apply/upload";
import { FormMessage } from "../components/FormMessage";
import { Page } from "../components/Page";
import { TextField } from "../components/TextField";
import { failureOf } from "../forms/failure";
import { focusFirstProblem } from "../forms/validation";
import type { MessageKey } from "../i18n/en";
import { useI18n } from "../i18n/I18nProvider";
import { LANGUAGE_NAMES, LANGUAGES, isLanguage } from "../i18n/languages";
import { pathTo, paths } from "../paths";

const IDS = APPLICATION_FIELD_IDS;

/** What the status page is told by the navigation: the document went up, or did not. */
export interface AfterApplying {
  uploaded: boolean;
}

type Phase = "editing" | "sending" | "uploading";

/**
 * /apply: the business-account application (SPEC §1). POST /applications, then the proof
 * document goes straight from the browser to S3 with the answer's presigned POST, and the
 * applicant lands on the status page (its `status_token` kept in this browser).
 */
export function ApplyPage() {
  const { t, language } = useI18n();
  const navigate = useNavigate();
  const [form, setForm] = useState<ApplicationForm>(() => emptyApplication(language));
  const [languageChosen, setLanguageChosen] = useState(false);
  const [problems, setProblems] = useState<Partial<Record<ApplicationField, MessageKey>>>({});
  const [serverErrors, setServerErrors] = useState<Partial<Record<ApplicationField, string>>>({});
  const [message, setMessage] = useState<{ key: MessageKey; extra: string[] } | null>(null);
  const [phase, setPhase] = useState<Phase>("editing");
  const vatRegistered = isVatRegistered(form.vatNumber);
  const countries = useMemo(
    () => countryOptions(language).map((country) => ({ value: country.code, label: country.name })),
    [language],
  );
  const previousVatStatus = useRef(vatRegistered);

  // The preferred language follows the page's until the applicant picks one.
  useEffect(() => {
    if (!languageChosen) setForm((current) => ({ ...current, language }));
  }, [language, languageChosen]);

  // The accepted documents depend on the VAT status: say so when it flips, and drop a choice
  // that no longer fits.
  useEffect(() => {
    if (previousVatStatus.current === vatRegistered) return;
    previousVatStatus.current = vatRegistered;
    const rules = t(vatRegistered ? "apply.documentRulesVat" : "apply.documentRulesNoVat");
    const chosen = form.documentType;
    if (chosen !== "" && !allowedDocuments(form.vatNumber).includes(chosen)) {
      setForm((current) => ({ ...current, documentType: "" }));
      announce(`${rules} ${t("apply.documentTypeCleared")}`);
    } else {
      announce(rules);
    }
  }, [vatRegistered, form.documentType, form.vatNumber, t]);

  function update<K extends keyof ApplicationForm>(field: K, value: ApplicationForm[K]) {
    setForm((current) => ({ ...current, [field]: value }));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (phase !== "editing") return;
    const found = checkApplication(form);
    setProblems(found);
    setServerErrors({});
    setMessage(null);
    if (Object.keys(found).length > 0) {
      setMessage({ key: "form.checkFields", extra: [] });
      announce(t("form.checkFields"));
      focusFirstProblem(found, IDS);
      return;
    }
    const file = form.file;
    if (file === null) return;
    setPhase("sending");
    let created;
    try {
      created = await call(api().POST("/applications", { body: applicationBody(form) }));
    } catch (error) {
      const failed = failureOf(error);
      const { byField, unplaced } = serverFieldErrors(failed.fields);
      setServerErrors(byField);
      setMessage({ key: failed.message, extra: unplaced });
      announce(t(failed.message));
      setPhase("editing");
      focusFirstProblem(byField, IDS);
      return;
    }
    rememberStatusToken(created.application_id, created.status_token);
    setPhase("uploading");
    announce(t("apply.uploading"));
    let uploaded = true;
    try {
      await uploadDocument(created.upload, file);
    } catch {
      uploaded = false;
    }
    announce(t(uploaded ? "apply.sent" : "apply.uploadFailed"));
    const state: AfterApplying = { uploaded };
    navigate(pathTo(paths.applicationStatus, { id: created.application_id }), { state });
  }

  const errorOf = (field: ApplicationField): string | undefined => {
    const problem = problems[field];
    return problem ? t(problem) : serverErrors[field];
  };

  const documentChoices = allowedDocuments(form.vatNumber).map((type: DocumentType) => ({
    value: type,
    label: t(`apply.doc.${type}`),
  }));

  return (
    <Page title={t("apply.title")}>
      <p>{t("apply.intro")}</p>
      <form noValidate onSubmit={submit} className="apply-form" aria-describedby="apply-required-note">
        <p id="apply-required-note" className="field__hint">
          {t("apply.requiredNote")}
        </p>

        <fieldset className="form-section">
          <legend>{t("apply.section.company")}</legend>
          <TextField
            id={IDS["company.name"]}
            label={t("apply.field.companyName")}
            autoComplete="organization"
            value={form.companyName}
            onChange={(value) => update("companyName", value)}
            error={errorOf("company.name")}
            required
          />
          <TextField
            id={IDS["company.street"]}
            label={t("apply.field.street")}
            autoComplete="street-address"
            value={form.street}
            onChange={(value) => update("street", value)}
            error={errorOf("company.street")}
            required
          />
          <div className="field-pair">
            <TextField
              id={IDS["company.postcode"]}
              label={t("apply.field.postcode")}
              autoComplete="postal-code"
              value={form.postcode}
              onChange={(value) => update("postcode", value)}
              error={errorOf("company.postcode")}
              required
            />
            <TextField
              id={IDS["company.city"]}
              label={t("apply.field.city")}
              autoComplete="address-level2"
              value={form.city}
              onChange={(value) => update("city", value)}
              error={errorOf("company.city")}
              required
            />
          </div>
          <SelectField
            id={IDS["company.country"]}
            label={t("apply.field.country")}
            autoComplete="country"
            value={form.country}
            onChange={(value) => update("country", value)}
            emptyLabel={t("apply.chooseCountry")}
            options={countries}
            error={errorOf("company.country")}
            required
          />
          <TextField
            id={IDS.vat_number}
            label={t("apply.field.vatNumber")}
            hint={t("apply.vatHint")}
            value={form.vatNumber}
            onChange={(value) => update("vatNumber", value)}
            error={errorOf("vat_number")}
          />
        </fieldset>

        <fieldset className="form-section">
          <legend>{t("apply.section.contact")}</legend>
          <TextField
            id={IDS["contact.name"]}
            label={t("apply.field.contactName")}
            autoComplete="name"
            value={form.contactName}
            onChange={(value) => update("contactName", value)}
            error={errorOf("contact.name")}
            required
          />
          <TextField
            id={IDS["contact.email"]}
            label={t("apply.field.contactEmail")}
            hint={t("apply.contactEmailHint")}
            type="email"
            inputMode="email"
            autoComplete="email"
            value={form.contactEmail}
            onChange={(value) => update("contactEmail", value)}
            error={errorOf("contact.email")}
            required
          />
          <TextField
            id={IDS["contact.phone"]}
            label={t("apply.field.contactPhone")}
            hint={t("apply.phoneHint")}
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            value={form.contactPhone}
            onChange={(value) => update("contactPhone", value)}
            error={errorOf("contact.phone")}
            required
          />
          <SelectField
            id={IDS.language}
            label={t("apply.field.language")}
            hint={t("apply.languageHint")}
            value={form.language}
            onChange={(value) => {
              if (!isLanguage(value)) return;
              setLanguageChosen(true);
              update("language", value);
            }}
            options={LANGUAGES.map((code) => ({ value: code, label: LANGUAGE_NAMES[code], lang: code }))}
            error={errorOf("language")}
            required
          />
        </fieldset>

        <fieldset className="form-section">
          <legend>{t("apply.section.legacy")}</legend>
          <TextField
            id={IDS.legacy_cps_email}
            label={t("apply.field.legacyEmail")}
            hint={t("apply.legacyHint")}
            type="email"
            inputMode="email"
            value={form.legacyCpsEmail}
            onChange={(value) => update("legacyCpsEmail", value)}
            error={errorOf("legacy_cps_email")}
          />
        </fieldset>

        <fieldset className="form-section">
          <legend>{t("apply.section.document")}</legend>
          <ChoiceGroup
            id={IDS.document_type}
            legend={t("apply.field.documentType")}
            hint={t(vatRegistered ? "apply.documentRulesVat" : "apply.documentRulesNoVat")}
            value={form.documentType}
            onChange={(value) => update("documentType", value as DocumentType)}
            choices={documentChoices}
            error={errorOf("document_type")}
            required
          />
          <FileField
            id={IDS.document}
            label={t("apply.field.document")}
            hint={t("apply.documentHint")}
            accept={DOCUMENT_ACCEPT}
            onChange={(file) => update("file", file)}
            error={errorOf("document")}
            required
          />
        </fieldset>

        <CheckboxField
          id={IDS.authorised}
          label={t("apply.field.authorised")}
          checked={form.authorised}
          onChange={(checked) => update("authorised", checked)}
          error={errorOf("authorised")}
          required
        />

        {message ? (
          <FormMessage tone="error" id="apply-message">
            {t(message.key)}
            {message.extra.map((text) => (
              <span key={text}> {text}</span>
            ))}
          </FormMessage>
        ) : null}
        <button type="submit" className="button" disabled={phase !== "editing"}>
          {phase === "sending" ? t("form.sending") : phase === "uploading" ? t("apply.uploading") : t("apply.submit")}
        </button>
      </form>
    </Page>
  );
}
