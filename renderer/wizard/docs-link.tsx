/** A documentation page, opened in the system browser through the API (only allow-listed https pages). */
import { isAllowedDocsUrl } from '../../shared/ipc/docs-links.js';
import { api } from './app-api.js';

export function DocsLink({ url, children }: { url: string | undefined; children: string }) {
  if (!url || !isAllowedDocsUrl(url)) return null;
  return (
    <button type="button" className="link" onClick={() => void api.openDocs({ url })}>
      {children}
    </button>
  );
}
