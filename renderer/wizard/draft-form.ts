/**
 * A step's form: react-hook-form over some draft fields, checked by the shared profile schema (so the
 * messages are the model's, naming the field), and mirrored into the store on every keystroke so that
 * going back or forward never loses input.
 */
import { useEffect } from 'react';
import { useForm, type FieldErrors, type Resolver } from 'react-hook-form';
import { checkDraft, problemIn } from './profile-from-draft.js';
import type { DraftField, WizardDraft } from './wizard-draft.js';
import { useWizard } from './wizard-store.js';

type Values<F extends DraftField> = Pick<WizardDraft, F>;

function pick<F extends DraftField>(draft: WizardDraft, fields: readonly F[]): Values<F> {
  return Object.fromEntries(fields.map((f) => [f, draft[f]])) as Values<F>;
}

function draftResolver<F extends DraftField>(fields: readonly F[]): Resolver<Values<F>> {
  return (values) => {
    const draft = { ...useWizard.getState().draft, ...values };
    const errors: Record<string, { type: string; message: string }> = {};
    for (const problem of checkDraft(draft).problems) {
      if ((fields as readonly string[]).includes(problem.field) && !errors[problem.field]) {
        errors[problem.field] = { type: 'model', message: problem.fix ? `${problem.message} ${problem.fix}` : problem.message };
      }
    }
    return Object.keys(errors).length ? { values: {}, errors: errors as FieldErrors<Values<F>> } : { values, errors: {} };
  };
}

export function useDraftForm<F extends DraftField>(fields: readonly F[]) {
  const update = useWizard((s) => s.update);
  const form = useForm<Values<F>>({ defaultValues: pick(useWizard.getState().draft, fields) as never, mode: 'onTouched', resolver: draftResolver(fields) });
  useEffect(() => {
    const subscription = form.watch((values) => update(values as Partial<WizardDraft>));
    return () => subscription.unsubscribe();
  }, [form, update]);
  return form;
}

/** Why Next waits on this step: the model's first problem among its fields. */
export function useBlocker(fields: readonly DraftField[]): string | undefined {
  const draft = useWizard((s) => s.draft);
  const problem = problemIn(draft, fields);
  return problem && `To continue: ${problem.message}`;
}
