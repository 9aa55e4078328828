/**
 * Asks before a saved secret goes to a server it was not saved for: the services answer a test or export
 * with SECRET_ENDPOINT_CHANGED, whose message names both servers; "Use it" sends the request again with
 * `secretForNewServer`, and the services bind the secret to the new server once that run succeeds. The
 * answer holds for this session and this server only; after "no" it is not asked again (the review's
 * preview runs on every change), but the notice can still take it back.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { SetupErrorData } from '../../shared/errors.js';
import { Notice } from './fields.js';
import { draftEndpoint } from './secret-endpoint.js';
import { useWizard } from './wizard-store.js';

export interface SecretEndpointQuestion {
  /** The admin said "use it" for the server the draft names now: send `secretForNewServer: true`. */
  confirmed: boolean;
  /** True when `error` is this question: it is asked (or its "no" shown) instead of the error; `onUse` runs after "use it". */
  ask(error: SetupErrorData, onUse?: () => void): boolean;
  /** The dialog while asking, the notice after "no". */
  view: ReactNode;
}

export function useSecretEndpointQuestion(): SecretEndpointQuestion {
  const draft = useWizard((s) => s.draft);
  const answers = useWizard((s) => s.secretForNewServer);
  const answer = useWizard((s) => s.answerSecretForNewServer);
  const [asking, setAsking] = useState<{ message: string; onUse?: (() => void) | undefined }>();
  const endpoint = draftEndpoint(draft);
  const key = endpoint ? JSON.stringify(endpoint) : '';
  const given = answers[key];
  const what = draft.authType === 'google-service-account' ? 'key' : 'password';

  const ask = (error: SetupErrorData, onUse?: () => void) => {
    if (error.code !== 'SECRET_ENDPOINT_CHANGED') return false;
    if (given === undefined) setAsking({ message: error.message, onUse });
    return true;
  };
  const reply = (use: boolean) => {
    answer(key, use);
    if (use) asking?.onUse?.();
    setAsking(undefined);
  };
  const view = asking ? (
    <SecretEndpointDialog what={what} message={asking.message} onReply={reply} />
  ) : given === false ? (
    <Notice tone="error" title={`The saved ${what} was not used`}>
      <p>It belongs to another server. Save this server's {what} on the Login step.</p>
      <button type="button" className="secondary" onClick={() => answer(key, true)}>
        Use it for this server after all
      </button>
    </Notice>
  ) : undefined;
  return { confirmed: given === true, ask, view };
}

function SecretEndpointDialog({ what, message, onReply }: { what: string; message: string; onReply: (use: boolean) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  return (
    <dialog ref={dialog} className="question" aria-labelledby="secret-endpoint-title" aria-describedby="secret-endpoint-message" onCancel={() => onReply(false)}>
      <h2 id="secret-endpoint-title">Use the saved {what} for this server?</h2>
      <p id="secret-endpoint-message">{message}</p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => onReply(true)}>
          Use it for this server
        </button>
        <button type="button" className="secondary" onClick={() => onReply(false)}>
          Don't use it
        </button>
      </div>
    </dialog>
  );
}
