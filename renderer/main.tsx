import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { pickApi } from './api/pick-api.js';

const api = pickApi(window);

function App() {
  const [about, setAbout] = useState<string>();
  useEffect(() => {
    void api.appInfo({}).then((result) => setAbout(result.ok ? `Version ${result.data.version} (${result.data.transport === 'electron' ? 'desktop app' : 'in your browser'})` : result.error.message));
  }, []);
  return (
    <main>
      <h1>n8n Setup</h1>
      <p>The setup wizard is on its way. Until then, the command line does the whole job: run <code>n8n-setup --help</code>.</p>
      {about && <p>{about}</p>}
    </main>
  );
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode><App /></StrictMode>);
