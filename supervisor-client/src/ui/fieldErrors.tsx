import { sentenceOfIssue } from '@earshot/shared';
import { useId, useState, type FocusEvent, type ReactElement, type ReactNode } from 'react';
import type { z } from 'zod';

/**
 * Each field's first problem, as the sentence the server would answer with (shared/src/validationText.ts:
 * "The password needs at least 8 characters."), by the field's name in the request.
 */
export function fieldErrorsOf(schema: z.ZodType, request: unknown): Record<string, string> {
  const checked = schema.safeParse(request);
  if (checked.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of checked.error.issues) {
    const field = String(issue.path[0] ?? '');
    errors[field] ??= sentenceOfIssue(issue);
  }
  return errors;
}

export interface FieldErrors {
  /** What ties an input to its sentence: checked once the person leaves it, marked invalid, described by it. */
  input(field: string): {
    onBlur: (e: FocusEvent<HTMLInputElement>) => void;
    'aria-invalid': true | undefined;
    'aria-describedby': string | undefined;
    id: string;
  };
  /** A labelled input with its sentence beside it (under the label, not inside it: the sentence is not the field's name). */
  field(field: string, label: ReactNode, control: ReactElement): ReactElement;
  /** On submit: every sentence shows, the first wrong field takes the focus; true when the request may go. */
  submit(): boolean;
}

/**
 * Validation errors beside the fields, as they are filled (once a field is left) and on submit: the request the
 * form would send, checked against the wire's own schema, so the form and the server say the same sentence.
 */
export function useFieldErrors(schema: z.ZodType, request: unknown): FieldErrors {
  const formId = useId();
  const [left, setLeft] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const errors = fieldErrorsOf(schema, request);
  const shown = (field: string) => ((submitted || left.has(field)) && errors[field]) || null;
  const idOf = (field: string) => `${formId}-${field}-error`;
  const input: FieldErrors['input'] = (field) => ({
    onBlur: (e) => {
      // Left for one of the form's buttons: a sentence appearing now would move the button from under the pointer
      // before the click lands; the submit shows every sentence anyway, and Cancel closes the form.
      const next = e.relatedTarget;
      if (next instanceof HTMLButtonElement && next.form !== null && next.form === e.currentTarget.form) return;
      setLeft((s) => (s.has(field) ? s : new Set([...s, field])));
    },
    'aria-invalid': shown(field) ? true : undefined,
    'aria-describedby': shown(field) ? idOf(field) : undefined,
    id: `${formId}-${field}`,
  });
  return {
    input,
    field: (field, label, control) => {
      const message = shown(field);
      return (
        <div className="field">
          <label htmlFor={`${formId}-${field}`}>
            {label}
            {control}
          </label>
          {message && (
            <span id={idOf(field)} className="field-error">
              {message}
            </span>
          )}
        </div>
      );
    },
    submit: () => {
      setSubmitted(true);
      const first = Object.keys(errors)[0];
      if (first === undefined) return true;
      // After the render that marks it: the person lands where the first sentence is.
      setTimeout(() => document.getElementById(`${formId}-${first}`)?.focus(), 0);
      return false;
    },
  };
}
