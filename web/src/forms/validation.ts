import type { MessageKey } from "../i18n/en";

/**
 * Client-side checks, each answering the message key of the problem or null. They mirror the
 * API's rules so most mistakes are caught before a request; the API's `fields` errors are
 * still shown beside the field when it refuses.
 */
export type Problem = MessageKey | null;

export function requiredProblem(value: string): Problem {
  return value.trim() === "" ? "validation.required" : null;
}

// One @, something on each side, a dot in the domain: the API checks the rest.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailProblem(value: string): Problem {
  if (value.trim() === "") return "validation.required";
  return EMAIL_SHAPE.test(value.trim()) ? null : "validation.email";
}

/** The API's password policy (chalicelib/domain/credentials.py): 12+ characters, a lower- and an upper-case letter, a digit, no blanks around. */
export function passwordPolicyProblem(value: string): Problem {
  if (value === "") return "validation.required";
  const fits =
    value.length >= 12 &&
    value.length <= 256 &&
    /\p{Ll}/u.test(value) &&
    /\p{Lu}/u.test(value) &&
    /\p{Nd}/u.test(value) &&
    value === value.trim();
  return fits ? null : "validation.passwordPolicy";
}

export function mfaCodeProblem(value: string): Problem {
  if (value.trim() === "") return "validation.required";
  return /^[0-9]{6}$/.test(value.trim()) ? null : "validation.mfaCode";
}

/** The problems of a form, by field; empty when there is none. */
export function problemsOf<F extends string>(checks: Readonly<Record<F, Problem>>): Partial<Record<F, MessageKey>> {
  const problems: Partial<Record<F, MessageKey>> = {};
  for (const field of Object.keys(checks) as F[]) {
    const problem = checks[field];
    if (problem !== null) problems[field] = problem;
  }
  return problems;
}

/** Moves focus to the first field with a problem; `fieldIds` maps each field to its input's id, in form order. */
export function focusFirstProblem<F extends string>(
  problems: Partial<Record<F, unknown>>,
  fieldIds: Readonly<Record<F, string>>,
): void {
  const first = (Object.keys(fieldIds) as F[]).find((field) => problems[field] !== undefined);
  if (first !== undefined) document.getElementById(fieldIds[first])?.focus();
}
