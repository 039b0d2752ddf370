import { useState, type FormEvent } from "react";

import { announce } from "../a11y/announcer";
import type { MessageKey } from "../i18n/en";
import { useI18n } from "../i18n/I18nProvider";
import { failureOf, type Failure } from "./failure";
import { focusFirstProblem } from "./validation";

export interface SubmitOptions<F extends string> {
  /** Each field's input id, in form order: the first field with a problem takes the focus. */
  fieldIds: Readonly<Record<F, string>>;
  /** The client-side checks (`problemsOf(...)`): nothing is sent while there is a problem. */
  check: () => Partial<Record<F, MessageKey>>;
  /** Sends the form; what it does on success is up to it. A thrown error is the form's failure. */
  send: () => Promise<void>;
  /** The failure to show for an error `send` threw (`failureOf(error)` when left out). */
  failed?: (error: unknown) => Failure;
}

export interface Submit<F extends string> {
  /** The form's onSubmit. */
  onSubmit: (event: FormEvent) => Promise<void>;
  /** While the request is under way (the submit button says "Sending…"). */
  sending: boolean;
  /** Why the last request failed, until the form is sent again. */
  failure: Failure | null;
  /** A field's error: the client's problem first, else the API's message for it. */
  fieldError: (field: F) => string | undefined;
}

/**
 * A form's submit: check it (the problems are shown by each field and the first one takes the
 * focus), else send it; a failure is kept to show above the button and is announced.
 */
export function useSubmit<F extends string>({ fieldIds, check, send, failed = failureOf }: SubmitOptions<F>): Submit<F> {
  const { t } = useI18n();
  const [problems, setProblems] = useState<Partial<Record<F, MessageKey>>>({});
  const [failure, setFailure] = useState<Failure | null>(null);
  const [sending, setSending] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const found = check();
    setProblems(found);
    setFailure(null);
    if (Object.keys(found).length > 0) {
      focusFirstProblem(found, fieldIds);
      return;
    }
    setSending(true);
    try {
      await send();
    } catch (error) {
      const shown = failed(error);
      setFailure(shown);
      announce(t(shown.message));
    } finally {
      setSending(false);
    }
  }

  function fieldError(field: F): string | undefined {
    const problem = problems[field];
    return problem ? t(problem) : failure?.fields[field];
  }

  return { onSubmit, sending, failure, fieldError };
}
