/**
 * Custom email templates: uploaded HTML is stored by the services, its placeholders checked, and shown
 * with sample data in a sandboxed frame (sandbox="", srcdoc) — never in the app's own page.
 */
import { useState } from 'react';
import { BASE_PLACEHOLDERS, missingPlaceholders, TEMPLATE_KINDS, unknownPlaceholders, type TemplateKindName } from '../../shared/n8n/email-templates.js';
import { api } from '../wizard/app-api.js';
import { Notice } from '../wizard/fields.js';
import { PROFILE_NAME } from '../wizard/profile-from-draft.js';
import { StepHeading, StepNav } from '../wizard/step-frame.js';
import { useWizard } from '../wizard/wizard-store.js';

const SAMPLE: Record<string, string> = {
  baseUrl: 'https://n8n.example.com',
  domain: 'n8n.example.com',
  currentYear: String(new Date().getFullYear()),
  email: 'ada@example.com',
  firstName: 'Ada',
  inviteAcceptUrl: 'https://n8n.example.com/signup?token=sample',
  passwordResetUrl: 'https://n8n.example.com/change-password?token=sample',
  workflowName: 'Daily report',
  workflowUrl: 'https://n8n.example.com/workflow/1',
  credentialsName: 'Mail account',
  credentialsListUrl: 'https://n8n.example.com/home/credentials',
  role: 'Editor',
  projectName: 'Operations',
  projectUrl: 'https://n8n.example.com/projects/1',
};

function withSampleData(html: string): string {
  return html.replace(/\{\{\{?\s*([A-Za-z]+)\s*\}?\}\}/g, (match, name: string) => SAMPLE[name] ?? match);
}

export default function TemplatesStep() {
  const templates = useWizard((s) => s.draft.templates);
  const html = useWizard((s) => s.templateHtml);
  const update = useWizard((s) => s.update);
  const set = useWizard((s) => s.set);
  const [errors, setErrors] = useState<Partial<Record<TemplateKindName, string>>>({});
  const [preview, setPreview] = useState<TemplateKindName>();

  const upload = async (kind: TemplateKindName, file: File | undefined) => {
    if (!file) return;
    const text = await file.text();
    const result = await api.uploadTemplate({ profileName: PROFILE_NAME, kind, html: text });
    if (!result.ok) return setErrors((e) => ({ ...e, [kind]: result.error.message }));
    setErrors((e) => ({ ...e, [kind]: undefined }));
    set({ templateHtml: { ...useWizard.getState().templateHtml, [kind]: text } });
    update({ templates: { ...useWizard.getState().draft.templates, [kind]: result.data.file } });
    setPreview(kind);
  };
  const remove = (kind: TemplateKindName) => {
    const { [kind]: _removed, ...rest } = useWizard.getState().draft.templates;
    update({ templates: rest });
    if (preview === kind) setPreview(undefined);
  };

  const previewKind = preview && TEMPLATE_KINDS.find((t) => t.kind === preview);
  const previewHtml = preview && html[preview];
  return (
    <>
      <StepHeading lead="Optional. n8n's built-in emails work; replace them with your own HTML if you like. Files are copied beside the compose file and mounted read-only.">Email templates</StepHeading>
      <table className="templates">
        <caption className="visually-hidden">Templates</caption>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Template</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {TEMPLATE_KINDS.slice(0, 5).map((t) => {
            const missing = html[t.kind] ? missingPlaceholders(t, html[t.kind] ?? '') : [];
            const unknown = html[t.kind] ? unknownPlaceholders(t, html[t.kind] ?? '') : [];
            return (
              <tr key={t.kind}>
                <th scope="row">{t.purpose}</th>
                <td>
                  {templates[t.kind] ? <span className="path">{templates[t.kind]}</span> : <span className="muted">Built-in</span>}
                  {missing.length > 0 && <p className="error">Missing {missing.map((m) => `{{${m}}}`).join(', ')}: the email would not contain the link the recipient needs.</p>}
                  {unknown.length > 0 && (
                    <p className="warning-text">
                      n8n does not fill {unknown.map((m) => `{{${m}}}`).join(', ')} in this email: {unknown.length === 1 ? 'it shows' : 'they show'} as nothing. It gets {[...t.provides, ...BASE_PLACEHOLDERS].map((m) => `{{${m}}}`).join(', ')}.
                    </p>
                  )}
                  {errors[t.kind] && <p className="error">{errors[t.kind]}</p>}
                </td>
                <td className="actions">
                  <label className="button secondary">
                    Choose HTML…
                    <input className="visually-hidden" type="file" accept=".html,.htm,text/html" aria-label={`Choose HTML for ${t.purpose}`} onChange={(e) => void upload(t.kind, e.target.files?.[0])} />
                  </label>
                  {html[t.kind] && (
                    <button type="button" className="secondary" onClick={() => setPreview(t.kind)}>
                      Preview
                    </button>
                  )}
                  {templates[t.kind] && (
                    <button type="button" className="secondary" onClick={() => remove(t.kind)}>
                      Use built-in
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {previewKind && previewHtml && (
        <section className="panel" aria-labelledby="preview-heading">
          <h2 id="preview-heading">Preview: {previewKind.purpose}, with sample data</h2>
          <iframe className="template-preview" title={`Preview of the ${previewKind.purpose} email`} sandbox="" srcDoc={withSampleData(previewHtml)} />
        </section>
      )}
      {Object.keys(templates).length > 0 && <Notice>n8n falls back to its built-in email, silently, when a template file is missing in the container: keep the exported templates folder next to the compose file.</Notice>}
      <StepNav />
    </>
  );
}
