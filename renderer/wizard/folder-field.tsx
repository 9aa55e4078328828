/**
 * A folder path the admin types or picks: the system's dialog in the app; under `serve`, where the browser
 * cannot open one (NO_NATIVE_DIALOG), a small list of folders from browseFolder.
 */
import { useState } from 'react';
import type { OutputOf } from '../../shared/ipc/contract.js';
import { api } from './app-api.js';
import { isAbsolute } from './export-request.js';
import { TextField } from './fields.js';

type Listing = OutputOf<'browseFolder'>;

interface FolderFieldProps {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onChange: (path: string) => void;
  error?: string | undefined;
}

export function FolderField({ id, label, hint, value, onChange, error }: FolderFieldProps) {
  const [listing, setListing] = useState<Listing>();
  const [problem, setProblem] = useState<string>();
  const start = isAbsolute(value) ? value : undefined;

  const browse = async (path: string | undefined) => {
    const reply = await api.browseFolder(path ? { path } : {});
    if (reply.ok) return setListing(reply.data), setProblem(undefined);
    // A typed folder outside the reachable ones (or not there yet): start from the home folder instead.
    if (path) return browse(undefined);
    setProblem(`${reply.error.message}${reply.error.fix ? ` ${reply.error.fix}` : ''}`);
  };
  const choose = async () => {
    const reply = await api.chooseFolder({ title: label, ...(start && { defaultPath: start }) });
    if (reply.ok) return void (reply.data.path && onChange(reply.data.path));
    if (reply.error.code === 'NO_NATIVE_DIALOG') return browse(start);
    setProblem(reply.error.message);
  };
  const use = (path: string) => {
    onChange(path);
    setListing(undefined);
    document.getElementById(id)?.focus();
  };

  return (
    <div className="folder-field">
      <TextField id={id} label={label} hint={hint} value={value} onChange={onChange} error={error} />
      <div className="actions">
        <button type="button" className="secondary" aria-expanded={listing ? true : undefined} aria-controls={listing ? `${id}-browser` : undefined} onClick={() => void choose()}>
          Choose folder…
        </button>
      </div>
      {problem && <p className="error">{problem}</p>}
      {listing && (
        <section className="panel folder-browser" id={`${id}-browser`} aria-labelledby={`${id}-browser-path`}>
          <p id={`${id}-browser-path`} aria-live="polite">
            Folders in <code>{listing.path}</code>
          </p>
          <div className="actions">
            <button type="button" className="secondary" disabled={!listing.parent} onClick={() => listing.parent && void browse(listing.parent)}>
              Parent folder
            </button>
            <button type="button" className="primary" onClick={() => use(listing.path)}>
              Use this folder
            </button>
            <button type="button" className="secondary" onClick={() => setListing(undefined)}>
              Cancel
            </button>
          </div>
          <ul className="folder-list">
            {listing.entries
              .filter((entry) => entry.kind === 'folder')
              .map((entry) => (
                <li key={entry.path}>
                  <button type="button" className="link" onClick={() => void browse(entry.path)}>
                    {entry.name}/
                  </button>
                </li>
              ))}
          </ul>
        </section>
      )}
    </div>
  );
}
