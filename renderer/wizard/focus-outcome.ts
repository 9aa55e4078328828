/**
 * After a long action (a test send, a write), focus goes to what it found — the element holding the
 * result or the error — instead of dropping to the page's body.
 */
import { useEffect, useRef, useState } from 'react';

export function useFocusOutcome(): { ref: React.RefObject<HTMLDivElement | null>; done: () => void } {
  const ref = useRef<HTMLDivElement>(null);
  const [finished, setFinished] = useState(0);
  useEffect(() => {
    if (finished > 0) ref.current?.focus();
  }, [finished]);
  return { ref, done: () => setFinished((n) => n + 1) };
}
