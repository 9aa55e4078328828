/** What every step has: its heading (focused when the step opens) and Back / Next with the reason Next waits. */
import { useEffect, useRef, type ReactNode } from 'react';
import { neighbour, type StepId } from './step-ids.js';
import { useWizard } from './wizard-store.js';

export function StepHeading({ children, lead }: { children: ReactNode; lead?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <header className="step-header">
      <h1 ref={heading} tabIndex={-1}>
        {children}
      </h1>
      {lead && <p className="lead">{lead}</p>}
    </header>
  );
}

export interface StepNavProps {
  /** Why Next is not possible yet; Next is disabled and this is shown beside it. */
  blocker?: string | undefined;
  nextLabel?: string;
  /** Runs before moving on; returning false stays. */
  onNext?: () => boolean | Promise<boolean>;
}

export function StepNav({ blocker, nextLabel = 'Next', onNext }: StepNavProps) {
  const step = useWizard((s) => s.step);
  const emailMode = useWizard((s) => s.draft.emailMode);
  const goTo = useWizard((s) => s.goTo);
  const back = neighbour({ emailMode }, step, -1);
  const next = neighbour({ emailMode }, step, 1);
  const move = async (to: StepId | undefined) => {
    if (!to) return;
    if (onNext && !(await onNext())) return;
    goTo(to);
  };
  return (
    <footer className="step-nav">
      {back ? (
        <button type="button" className="secondary" onClick={() => goTo(back)}>
          Back
        </button>
      ) : (
        <span />
      )}
      <div className="next-area">
        {blocker && (
          <p className="blocker" id="next-blocker">
            {blocker}
          </p>
        )}
        {next && (
          <button type="button" className="primary" disabled={Boolean(blocker)} aria-describedby={blocker ? 'next-blocker' : undefined} onClick={() => void move(next)}>
            {nextLabel}
          </button>
        )}
      </div>
    </footer>
  );
}
