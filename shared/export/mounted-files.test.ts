import { describe, expect, it } from 'vitest';
import type { Warning } from '../errors.js';
import { mountedFiles } from './mounted-files.js';

describe('mountedFiles', () => {
  it('warns about a placeholder n8n does not fill (it renders as nothing), naming what the email gets', () => {
    const warnings: Warning[] = [];
    const files = mountedFiles([{ kind: 'template', source: '/srv/t/invite.html', target: '/templates/invite.html', fileName: 'invite.html' }], { '/srv/t/invite.html': '<a href="{{inviteAcceptUrl}}">Join</a> — {{inviterName}}' }, warnings);
    expect(files.map((f) => f.path)).toEqual(['templates/invite.html']);
    expect(warnings).toEqual([
      {
        code: 'WARN_TEMPLATE_UNKNOWN_PLACEHOLDER',
        message: 'The user invited template (/srv/t/invite.html) uses {{inviterName}}, which n8n does not give this email: it renders as nothing. It gets email, inviteAcceptUrl, baseUrl, domain, currentYear.',
      },
    ]);
  });
});
