/**
 * "Where does n8n run?": this computer, or a server over SSH. For a server, its name as ssh takes it (the
 * admin's ~/.ssh/config, agent and keys are used) and its host key: a known key is said so; a new one is shown
 * with its fingerprint and trusted only on a click. Recent servers can be picked again.
 */
import { useEffect, useRef, useState } from 'react';
import { api } from './app-api.js';
import { ChoiceGroup, Notice, TextField } from './fields.js';
import { useWizard } from './wizard-store.js';

export function WhereChoice() {
  const draft = useWizard((s) => s.draft);
  const update = useWizard((s) => s.update);
  const set = useWizard((s) => s.set);
  return (
    <>
      <ChoiceGroup
        legend="Where does n8n run?"
        name="where"
        value={draft.where}
        // Files imported and a folder chosen on one machine say nothing about the other.
        onChange={(where) => (update({ where, outDir: '' }), set({ imported: undefined, exportResult: undefined }))}
        choices={[
          { value: 'here', label: 'This computer', detail: 'The compose project is in a folder here.' },
          { value: 'server', label: 'A server, over SSH', detail: 'The files are read, written and backed up on the server; your ~/.ssh/config, agent and keys are used.' },
        ]}
      />
      {draft.where === 'server' && <ServerField />}
    </>
  );
}

function ServerField() {
  const server = useWizard((s) => s.draft.server);
  const known = useWizard((s) => s.serverKnown);
  const update = useWizard((s) => s.update);
  const set = useWizard((s) => s.set);
  const [recent, setRecent] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [hostKey, setHostKey] = useState<HostKeyQuestion>();
  const typed = server.trim();
  // Only the answer for the server in the field now counts: a slow one for an earlier name is dropped.
  const current = useRef(typed);
  current.current = typed;

  useEffect(() => void api.recentServers({}).then((reply) => reply.ok && setRecent(reply.data.servers)), []);

  const check = async (target: string) => {
    setBusy(true);
    setError(undefined);
    setHostKey(undefined);
    const reply = await api.sshHostKey({ server: target });
    if (current.current !== target) return;
    setBusy(false);
    if (!reply.ok) return setError(`${reply.error.message}${reply.error.fix ? ` ${reply.error.fix}` : ''}`);
    if (reply.data.known) {
      set({ serverKnown: target });
      return void logIn(target);
    }
    setHostKey({ server: target, name: reply.data.name, keys: reply.data.keys });
  };
  // Logged in once here, so that a key needing its passphrase is asked for now, not in the middle of an import.
  const [login, setLogin] = useState<{ server: string; user?: string; key?: string; message?: string }>();
  const [passphrase, setPassphrase] = useState('');
  const [keep, setKeep] = useState(false);
  const [kept, setKept] = useState<string>();
  /** Logs in and says as whom; true when the login worked. */
  const logIn = async (target: string): Promise<boolean> => {
    setLogin({ server: target });
    const reply = await api.sshLogin({ server: target });
    if (current.current !== target) return false;
    if (reply.ok) {
      setLogin({ server: target, ...(reply.data.user !== undefined && { user: reply.data.user }), ...(reply.data.passphraseFor && { key: reply.data.passphraseFor.key, message: reply.data.passphraseFor.message }) });
      return reply.data.user !== undefined;
    }
    setLogin(undefined);
    setError(`${reply.error.message}${reply.error.fix ? ` ${reply.error.fix}` : ''}`);
    return false;
  };
  const usePassphrase = async () => {
    if (!login?.key || !passphrase) return;
    const { key, server: target } = login;
    const wantKeep = keep;
    const reply = await api.sshKeyPassphrase({ key, passphrase });
    setPassphrase('');
    if (!reply.ok) return setError(reply.error.message);
    // Kept only once it has opened the key: a wrong one never reaches the keychain.
    if (!(await logIn(target)) || !wantKeep) return;
    const kept = await api.keepSshKeyPassphrase({ key });
    if (!kept.ok) return setError(kept.error.message);
    setKept(
      kept.data.kept
        ? `The passphrase is kept in ${kept.data.where ?? 'the keychain'} (service n8n-setup, account :ssh-key/${key}); remove that entry there to forget it.`
        : `The passphrase is held for this session only: ${kept.data.keychainProblem ?? 'the keychain did not take it'}`,
    );
  };
  // A server chosen before (a restart, a recent one picked) is checked at once: known hosts need no click.
  useEffect(() => {
    if (typed && known !== typed) void check(typed);
  }, []);

  const trust = async (fingerprint: string) => {
    if (!hostKey) return;
    const reply = await api.trustSshHostKey({ server: hostKey.server, fingerprint });
    if (!reply.ok) return setError(`${reply.error.message}${reply.error.fix ? ` ${reply.error.fix}` : ''}`);
    setHostKey(undefined);
    set({ serverKnown: hostKey.server });
    setRecent((list) => [hostKey.server, ...list.filter((s) => s !== hostKey.server)]);
    void logIn(hostKey.server);
  };
  const choose = (value: string) => {
    // Another server: what was imported from the last one, and its folder, do not carry over.
    if (value.trim() !== typed) update({ server: value, outDir: '' });
    else update({ server: value });
    set({ serverKnown: undefined, ...(value.trim() !== typed && { imported: undefined, exportResult: undefined }) });
    setHostKey(undefined);
    setLogin(undefined);
    setError(undefined);
  };

  return (
    <section className="panel" aria-labelledby="server-heading">
      <h2 id="server-heading">The server</h2>
      <TextField id="server" label="Server (SSH)" hint="user@host, a Host from ~/.ssh/config, or ssh://user@host:2222" value={server} onChange={choose} />
      {recent.filter((s) => s !== typed).length > 0 && (
        <p className="recent-servers">
          Recent:{' '}
          {recent
            .filter((s) => s !== typed)
            .map((s) => (
              <button key={s} type="button" className="link" onClick={() => (choose(s), void check(s))}>
                {s}
              </button>
            ))}
        </p>
      )}
      <div className="actions">
        <button type="button" className="secondary" disabled={busy || !typed} onClick={() => void check(typed)}>
          {busy ? 'Checking…' : 'Check the server’s key'}
        </button>
      </div>
      {known && known === typed && <Notice tone="success">{typed} is known to this computer (its host key is in known_hosts). Paths below are on the server.</Notice>}
      {login?.server === typed && !login.key && <p className="hint">{login.user === undefined ? 'Logging in…' : `Logged in as ${login.user}.`}</p>}
      {kept && <Notice tone={kept.startsWith('The passphrase is kept') ? 'success' : 'warning'}>{kept}</Notice>}
      {login?.server === typed && login.key && (
        <form
          className="confirm"
          aria-label="Key passphrase"
          onSubmit={(event) => {
            event.preventDefault();
            void usePassphrase();
          }}
        >
          <p>{login.message}</p>
          <TextField id="ssh-passphrase" label={`Passphrase for ${login.key}`} hint="Held in memory for this session; stored only if you tick the box below. ssh-agent (ssh-add) spares you typing it." type="password" value={passphrase} onChange={setPassphrase} />
          <label className="choice">
            <input type="checkbox" checked={keep} onChange={(event) => setKeep(event.target.checked)} />
            <span>Keep it in this computer’s keychain</span>
          </label>
          <button type="submit" className="primary" disabled={!passphrase}>
            Log in with this passphrase
          </button>
        </form>
      )}
      {hostKey && <NewHostKey hostKey={hostKey} onTrust={(fingerprint) => void trust(fingerprint)} onCancel={() => setHostKey(undefined)} />}
      {error && <Notice tone="error">{error}</Notice>}
    </section>
  );
}

/** A server whose host key is not in known_hosts yet: its name and the keys it presents. */
export interface HostKeyQuestion {
  server: string;
  name: string;
  keys: Array<{ type: string; fingerprint: string }>;
}

/**
 * The new server key, shown with each fingerprint and how to compare it on the server's console; trusted only
 * by a click on one of them. `verb` finishes the button's text ("and send").
 */
export function NewHostKey({ hostKey, verb = '', onTrust, onCancel }: { hostKey: HostKeyQuestion; verb?: string; onTrust: (fingerprint: string) => void; onCancel: () => void }) {
  return (
    <div className="confirm" role="group" aria-label="New server key">
      <p>
        {hostKey.name} is new to this computer. It presents {hostKey.keys.map((k) => `${k.type} ${k.fingerprint}`).join(', ')}. Compare it with the server's own (on its console:{' '}
        <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>) before you trust it.
      </p>
      {hostKey.keys.map((key) => (
        <button key={key.fingerprint} type="button" className="primary" onClick={() => onTrust(key.fingerprint)}>
          Trust {key.type} {key.fingerprint}
          {verb && ` ${verb}`}
        </button>
      ))}{' '}
      <button type="button" className="secondary" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

