/** The one address people use; the n8n variables it becomes, the invite link it gives, and the proxies in front. */
import { deriveUrlSettings, inviteLinkPreview } from '../../shared/n8n/public-url.js';
import { checkPublicUrl } from '../../shared/profile/field-rules.js';
import { useEffect } from 'react';
import { useBlocker, useDraftForm } from '../wizard/draft-form.js';
import { acmeEmailSuggestion } from '../wizard/prefill.js';
import { ChoiceGroup, Notice, TextField } from '../wizard/fields.js';
import { StepHeading, StepNav } from '../wizard/step-frame.js';
import { useWizard } from '../wizard/wizard-store.js';

export default function PublicUrlStep() {
  const form = useDraftForm(['publicUrl', 'proxyHops', 'acmeEmail'] as const);
  const draft = useWizard((s) => s.draft);
  const update = useWizard((s) => s.update);
  const blocker = useBlocker(['publicUrl', 'proxyHops', 'acmeEmail']);
  const errors = form.formState.errors;
  const valid = draft.publicUrl !== '' && !checkPublicUrl(draft.publicUrl);
  const url = valid ? deriveUrlSettings(draft.publicUrl) : undefined;
  const defaultHops = draft.proxy === 'none' ? 0 : 1;
  const hops = draft.proxyHops === '' ? defaultHops : Number(draft.proxyHops);
  // Choosing Caddy or Traefik asks for a Let's Encrypt email: an address the admin already gave fills it.
  const acmeSuggestion = acmeEmailSuggestion(draft);
  useEffect(() => {
    if (acmeSuggestion && form.getValues('acmeEmail') === '') form.setValue('acmeEmail', acmeSuggestion, { shouldValidate: true });
  }, [acmeSuggestion]);

  return (
    <>
      <StepHeading lead="The address people type to reach n8n. n8n builds every invite and password-reset link from it — without it, emails link to http://localhost:5678.">Public URL</StepHeading>
      <TextField id="public-url" label="Public URL" type="url" hint="e.g. https://n8n.example.com/" registration={form.register('publicUrl')} error={errors.publicUrl?.message} />
      {url && (
        <section className="panel" aria-labelledby="derived-heading">
          <h2 id="derived-heading">What n8n will be told</h2>
          <dl className="variables">
            <dt>N8N_HOST</dt>
            <dd>{url.host}</dd>
            <dt>N8N_PROTOCOL</dt>
            <dd>{url.protocol}</dd>
            <dt>N8N_PATH</dt>
            <dd>{url.path}</dd>
            <dt>N8N_EDITOR_BASE_URL</dt>
            <dd>{url.baseUrl}</dd>
            <dt>N8N_WEBHOOK_URL</dt>
            <dd>{url.baseUrl}</dd>
            <dt>N8N_PROXY_HOPS</dt>
            <dd>{hops}</dd>
          </dl>
          <p>
            An invite link will look like <code className="invite-preview">{inviteLinkPreview(draft.publicUrl)}</code>
          </p>
          {url.path !== '/' && <Notice tone="warning">A sub-path works only if your proxy strips {url.path} before passing requests to n8n, which serves everything at the root. A host name of its own is more robust.</Notice>}
          {url.protocol === 'http' && !url.isLocalhost && <Notice tone="warning">Over plain http, logins travel unencrypted and n8n needs N8N_SECURE_COOKIE=false to let anyone sign in. Use https if you can.</Notice>}
        </section>
      )}
      <ChoiceGroup
        legend="What sits in front of n8n?"
        name="proxy"
        value={draft.proxy}
        onChange={(proxy) => update({ proxy })}
        choices={[
          { value: 'none', label: 'Nothing', detail: 'n8n is published on port 5678.' },
          { value: 'caddy', label: 'Caddy (added for you)', detail: "A Caddy service with automatic Let's Encrypt certificates." },
          { value: 'traefik', label: 'Traefik (added for you)', detail: "A Traefik service with automatic Let's Encrypt certificates." },
          { value: 'external', label: 'My own proxy', detail: 'nginx, a load balancer, Cloudflare… n8n is bound to 127.0.0.1:5678 for it.' },
          { value: 'platform', label: 'My hosting platform', detail: 'Coolify, Dokploy, CapRover and the like route to the container themselves: no port is published.' },
        ]}
      />
      {url?.protocol === 'https' && draft.proxy === 'none' && (
        <Notice tone="warning" title="Something must provide https">
          n8n itself serves plain http on port 5678, so with an https address something in front of it must hold the certificate: choose Caddy or Traefik to have one added, or "My own proxy" if you already run one.
        </Notice>
      )}
      {(draft.proxy === 'caddy' || draft.proxy === 'traefik') && <TextField id="acme-email" label="Email for Let's Encrypt" type="email" registration={form.register('acmeEmail')} error={errors.acmeEmail?.message} />}
      <TextField
        id="proxy-hops"
        label="Proxies in front of n8n (hops)"
        width="short"
        inputMode="numeric"
        registration={form.register('proxyHops')}
        error={errors.proxyHops?.message}
        hint={`Count every proxy a request passes: Cloudflare in front of your own nginx is 2. n8n then trusts that many X-Forwarded-For entries (rate limits, logs); it does not change links. Empty means ${defaultHops}.`}
      />
      <StepNav blocker={blocker} />
    </>
  );
}
