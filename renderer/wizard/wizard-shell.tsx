/** The window: the stepper on the left, the current step on the right. Later steps load on demand. */
import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
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
      <main className="step">
        <Suspense fallback={<p className="loading">Loading…</p>}>
          <View />
        </Suspense>
      </main>
    </div>
  );
}
