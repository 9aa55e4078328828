// Runs n8n's own config loader (@n8n/config) once per case and prints, for every variable the project knows,
// the value n8n ends up with and whether the loader warned about it. Input on stdin: a JSON list of cases,
// each an environment ({NAME: value}, NAME_FILE entries pointing at files). Started with an empty
// environment by load-like-n8n.ts; variables the loader does not declare are read straight from
// process.env, as n8n, Node and the container runtime do.
require('reflect-metadata');
const { readFileSync } = require('node:fs');
const { Container } = require('@n8n/di');
const { GlobalConfig, InstanceSettingsConfig } = require('@n8n/config');

// Where each variable lands in the loader's objects (@n8n/config 2.39: user-management, index, auth,
// generic and instance-settings configs). `env:` means n8n reads process.env itself.
const SETTINGS = {
  N8N_EMAIL_MODE: 'userManagement.emails.mode',
  N8N_SMTP_HOST: 'userManagement.emails.smtp.host',
  N8N_SMTP_PORT: 'userManagement.emails.smtp.port',
  N8N_SMTP_SSL: 'userManagement.emails.smtp.secure',
  N8N_SMTP_STARTTLS: 'userManagement.emails.smtp.startTLS',
  N8N_SMTP_USER: 'userManagement.emails.smtp.auth.user',
  N8N_SMTP_PASS: 'userManagement.emails.smtp.auth.pass',
  N8N_SMTP_SENDER: 'userManagement.emails.smtp.sender',
  N8N_SMTP_OAUTH_SERVICE_CLIENT: 'userManagement.emails.smtp.auth.serviceClient',
  N8N_SMTP_OAUTH_PRIVATE_KEY: 'userManagement.emails.smtp.auth.privateKey',
  N8N_INVITE_LINKS_EMAIL_ONLY: 'userManagement.inviteLinksEmailOnly',
  N8N_UM_EMAIL_TEMPLATES_INVITE: 'userManagement.emails.template.user-invited',
  N8N_UM_EMAIL_TEMPLATES_PWRESET: 'userManagement.emails.template.password-reset-requested',
  N8N_UM_EMAIL_TEMPLATES_WORKFLOW_SHARED: 'userManagement.emails.template.workflow-shared',
  N8N_UM_EMAIL_TEMPLATES_WORKFLOW_AUTODEACTIVATED: 'userManagement.emails.template.workflow-deactivated',
  N8N_UM_EMAIL_TEMPLATES_CREDENTIALS_SHARED: 'userManagement.emails.template.credentials-shared',
  N8N_UM_EMAIL_TEMPLATES_PROJECT_SHARED: 'userManagement.emails.template.project-shared',
  N8N_UM_EMAIL_TEMPLATES_WORKFLOW_FAILURE: 'userManagement.emails.template.workflow-failure',
  N8N_UM_EMAIL_TEMPLATES_API_KEY_REVOKED: 'userManagement.emails.template.api-key-revoked',
  N8N_UM_EMAIL_TEMPLATES_MCP_CLIENT_REVOKED: 'userManagement.emails.template.mcp-client-revoked',
  N8N_UM_EMAIL_TEMPLATES_EMAIL_CHANGE_REQUESTED: 'userManagement.emails.template.email-change-requested',
  N8N_UM_EMAIL_TEMPLATES_EMAIL_CHANGE_COMPLETED: 'userManagement.emails.template.email-change-completed',
  N8N_HOST: 'host',
  N8N_PROTOCOL: 'protocol',
  N8N_PATH: 'path',
  N8N_EDITOR_BASE_URL: 'editorBaseUrl',
  N8N_WEBHOOK_URL: 'webhookUrl',
  WEBHOOK_URL: 'env:WEBHOOK_URL',
  N8N_PROXY_HOPS: 'proxy_hops',
  N8N_SECURE_COOKIE: 'auth.cookie.secure',
  N8N_PORT: 'port',
  N8N_LISTEN_ADDRESS: 'listen_address',
  GENERIC_TIMEZONE: 'generic.timezone',
  TZ: 'env:TZ',
  NODE_EXTRA_CA_CERTS: 'env:NODE_EXTRA_CA_CERTS',
  N8N_ENCRYPTION_KEY: 'instance.encryptionKey',
};

let warnings = [];
console.warn = (...args) => warnings.push(args.map(String).join(' '));

function settingOf(configs, path) {
  if (path.startsWith('env:')) return process.env[path.slice(4)] ?? null;
  const [root, keys] = path.startsWith('instance.') ? [configs.instance, path.slice(9).split('.')] : [configs.global, path.split('.')];
  const value = keys.reduce((node, key) => node?.[key], root);
  // JSON has no Infinity or NaN: keep them apart from null.
  return typeof value === 'number' && !Number.isFinite(value) ? { number: String(value) } : value;
}

const cases = JSON.parse(readFileSync(0, 'utf8'));
const results = cases.map((environment) => {
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, environment);
  warnings = [];
  Container.reset();
  const configs = { global: Container.get(GlobalConfig), instance: Container.get(InstanceSettingsConfig) };
  const read = {};
  for (const [name, path] of Object.entries(SETTINGS)) {
    read[name] = { value: settingOf(configs, path), warned: warnings.some((w) => new RegExp(`\\b${name}\\b`).test(w)) };
  }
  return read;
});
process.stdout.write(JSON.stringify(results));
