/** A command to run as printed, with a button that copies exactly the text shown. */
import { useRef, useState } from 'react';

export function CommandBlock({ command, label }: { command: string; label: string }) {
  const [copied, setCopied] = useState<'yes' | 'no'>();
  const code = useRef<HTMLElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(command);
      setCopied('yes');
    } catch {
      // No clipboard (an insecure origin, a denied permission): select the text for Ctrl+C instead.
      const selection = window.getSelection();
      if (code.current && selection) selection.selectAllChildren(code.current);
      setCopied('no');
    }
  };
  return (
    <div className="command">
      <pre>
        <code ref={code} aria-label={label}>
          {command}
        </code>
      </pre>
      <button type="button" className="secondary" onClick={() => void copy()} aria-label={`Copy: ${label}`}>
        Copy
      </button>
      <span className="muted" role="status">
        {copied === 'yes' ? 'Copied.' : copied === 'no' ? 'Selected: press Ctrl+C (⌘C) to copy.' : ''}
      </span>
    </div>
  );
}
