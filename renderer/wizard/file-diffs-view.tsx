/**
 * Each file the export writes, line by line (unified diff, secrets masked), grouped by the service whose
 * changes it carries; files no service reads a change from (new proxy files, the variable list, this tool)
 * come last. Closed by default: the per-key tables above are the summary.
 */
import { Fragment } from 'react';
import type { OutputOf } from '../../shared/ipc/contract.js';

type Report = OutputOf<'previewExport'>;
type Diff = NonNullable<Report['diffs']>[number];

const STATUS_WORDS: Record<Diff['status'], string> = { new: 'new file', changed: 'changed', unchanged: 'unchanged' };

export function FileDiffsView({ report }: { report: Report }) {
  const diffs = report.diffs ?? [];
  if (diffs.length === 0) return null;
  const groups = (report.services ?? [])
    .map((service) => ({ title: `${service.name} — ${service.roleLabel}`, paths: new Set(service.variables.flatMap((variable) => variable.writtenIn.map((line) => line.file))) }))
    .filter((group) => group.paths.size > 0);
  const grouped = new Set(groups.flatMap((group) => [...group.paths]));
  const others = diffs.filter((diff) => !grouped.has(diff.path));
  return (
    <section className="panel" aria-labelledby="file-diffs-heading">
      <h2 id="file-diffs-heading">Each file, line by line</h2>
      {groups.map((group) => (
        <div key={group.title} className="diff-group">
          <h3>Read by {group.title}</h3>
          {diffs
            .filter((diff) => group.paths.has(diff.path))
            .map((diff) => (
              <FileDiffView key={diff.path} diff={diff} />
            ))}
        </div>
      ))}
      {others.length > 0 && (
        <div className="diff-group">
          {groups.length > 0 && <h3>Other files</h3>}
          {others.map((diff) => (
            <FileDiffView key={diff.path} diff={diff} />
          ))}
        </div>
      )}
    </section>
  );
}

function FileDiffView({ diff }: { diff: Diff }) {
  return (
    <details className="file-diff">
      <summary>
        <code>{diff.path}</code> <span className="muted">{STATUS_WORDS[diff.status]}</span>
        {diff.diff && (
          <span className="muted">
            {' '}
            · <span aria-label={`${diff.added} lines added`}>+{diff.added}</span> <span aria-label={`${diff.removed} lines removed`}>−{diff.removed}</span>
          </span>
        )}
      </summary>
      {diff.note && <p className="muted">{diff.note}</p>}
      {diff.diff && (
        <pre className="unified-diff" aria-label={`Changes to ${diff.path}`}>
          {diff.diff.split('\n').map((line, index) => (
            <Fragment key={index}>
              <span className={line.startsWith('+') ? 'line-added' : line.startsWith('-') ? 'line-removed' : line.startsWith('@@') ? 'line-hunk' : undefined}>{line}</span>
              {'\n'}
            </Fragment>
          ))}
        </pre>
      )}
    </details>
  );
}
