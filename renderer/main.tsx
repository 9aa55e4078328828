import { StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import './styles/app.css';
import { keepDraftSaved, loadDraft } from './wizard/draft-sync.js';
import { WizardShell } from './wizard/wizard-shell.js';
import { useWizard } from './wizard/wizard-store.js';

function App() {
  const loaded = useWizard((s) => s.loaded);
  useEffect(() => {
    const stop = keepDraftSaved();
    void loadDraft();
    return stop;
  }, []);
  return loaded ? <WizardShell /> : <p className="loading">Loading…</p>;
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode><App /></StrictMode>);
