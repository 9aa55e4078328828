// Runs n8n's own config loader (@n8n/config) on this process's environment and prints what n8n sees,
// with every warning the loader printed. Started with a clean environment by load-like-n8n.ts.
require('reflect-metadata');
const warnings = [];
console.warn = (...args) => warnings.push(args.map(String).join(' '));
const { Container } = require('@n8n/di');
const { GlobalConfig } = require('@n8n/config');

const c = Container.get(GlobalConfig);
const email = c.userManagement.emails;
process.stdout.write(
  JSON.stringify({
    host: c.host,
    port: c.port,
    protocol: c.protocol,
    path: c.path,
    editorBaseUrl: c.editorBaseUrl,
    webhookUrl: c.webhookUrl,
    proxyHops: c.proxy_hops,
    secureCookie: c.auth.cookie.secure,
    timezone: c.generic.timezone,
    inviteLinksEmailOnly: c.userManagement.inviteLinksEmailOnly,
    email: { mode: email.mode, smtp: email.smtp, template: email.template },
    env: { WEBHOOK_URL: process.env.WEBHOOK_URL, TZ: process.env.TZ, NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS },
    warnings,
  }),
);
