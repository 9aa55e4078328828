import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

function App() {
  return (
    <main>
      <h1>n8n Setup</h1>
      <p>The setup wizard is on its way. Until then, the command line does the whole job: run <code>n8n-setup --help</code>.</p>
    </main>
  );
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode><App /></StrictMode>);
