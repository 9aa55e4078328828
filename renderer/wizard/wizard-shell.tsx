/** The window: the stepper on the left, the current step on the right. Later steps load on demand. */
import { lazy, Suspense, type ComponentType, type KeyboardEvent, type LazyExoticComponent } from 'react';
import WelcomeStep from '../steps/welcome-step.js';
import { STEP_IDS, stepsFor, type StepId } from './step-ids.js';
import { useWizard } from './wizard-store.js';

const STEP_VIEWS: Record<StepId, ComponentType | LazyExoticComponent<ComponentType>> = {
  welcome: WelcomeStep,
  'email-mode': lazy(() => import('../steps/email-mode-step.js')),
  provider: lazy(() => import('../steps/provider-step.js')),
  server: lazy(() => import('../steps/server-step.js')),
  login: lazy(() => import('../steps/login-step.js')),
  sender: lazy(() => import('../steps/sender-step.js')),
  'test-email': lazy(() => import('../steps/test-email-step.js')),
  'public-url': lazy(() => import('../steps/public-url-step.js')),
  templates: lazy(() => import('../steps/templates-step.js')),
  review: lazy(() => import('../steps/review-step.js')),
  export: lazy(() => import('../steps/export-step.js')),
  done: lazy(() => import('../steps/done-step.js')),
};

export function WizardShell() {
  const step = useWizard((s) => s.step);
  const emailMode = useWizard((s) => s.draft.emailMode);
  const reached = useWizard((s) => s.reached);
  const goTo = useWizard((s) => s.goTo);
  const View = STEP_VIEWS[step];
  return (
    <div className="shell">
      <nav className="stepper" aria-label="Setup steps">
        <p className="brand">n8n Setup</p>
        <ol>
          {stepsFor({ emailMode }).map((s) => {
            const current = s.id === step;
            const open = STEP_IDS.indexOf(s.id) <= reached;
            return (
              <li key={s.id}>
                <button type="button" className="stepper-item" aria-current={current ? 'step' : undefined} disabled={!open && !current} onClick={() => goTo(s.id)}>
                  {s.title}
                </button>
              </li>
            );
          })}
        </ol>
      </nav>
      <main className="step" onKeyDown={submitOnEnter}>
        <Suspense fallback={<p className="loading">Loading…</p>}>
          <View />
        </Suspense>
      </main>
    </div>
  );
}

/**
 * Enter in a text field does what the step is for: its first enabled primary button (Send test email,
 * Write the files), else Next. Not in a text area, on a button or link, or while an input method composes.
 */
function submitOnEnter(event: KeyboardEvent<HTMLElement>): void {
  if (event.key !== 'Enter' || event.nativeEvent.isComposing || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
  const target = event.target as HTMLElement;
  if (!(target instanceof HTMLInputElement) || !TEXT_INPUTS.has(target.type)) return;
  const primary = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('button.primary')].find((button) => !button.disabled);
  if (!primary) return;
  event.preventDefault();
  primary.click();
}

const TEXT_INPUTS = new Set(['text', 'email', 'url', 'password', 'number', 'search', 'tel']);
