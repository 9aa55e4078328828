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
  const [newName, setNewName] = useState('');
  const makeFolder = async () => {
    if (!listing || !newName) return;
    const reply = await api.makeFolder({ parent: listing.path, name: newName });
    if (!reply.ok) return setProblem(`${reply.error.message}${reply.error.fix ? ` ${reply.error.fix}` : ''}`);
    setNewName('');
    setProblem(undefined);
    setListing(reply.data);
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
          {listing.roots.length > 1 && (
            <p className="roots">
              Go to:{' '}
              {listing.roots.map((root, index) => (
                <button key={root} type="button" className="link" onClick={() => void browse(root)}>
                  {index === 0 ? 'Home' : root}
                </button>
              ))}
            </p>
          )}
          <div className="row align-end new-folder">
            <label className="field" htmlFor={`${id}-new-folder`}>
              <span className="label">New folder in {listing.path}</span>
              <input
                id={`${id}-new-folder`}
                type="text"
                value={newName}
                onChange={(event) => setNewName(event.target.value)}
                onKeyDown={(event) => {
                  // Enter makes the folder here, not the step's primary action.
                  if (event.key !== 'Enter') return;
                  event.preventDefault();
                  event.stopPropagation();
                  void makeFolder();
                }}
              />
            </label>
            <button type="button" className="secondary" disabled={!newName} onClick={() => void makeFolder()}>
              Make folder
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
