/**
 * The review of an existing deployment, service by service, as the export plan says it: each service that gets
 * something has its own table (the value its container reads before and after, secrets masked, and the file
 * line that makes the change); the services that get nothing share one line.
 */
import type { OutputOf } from '../../shared/ipc/contract.js';
import { describeEntryChange, describeWrittenLine, hasChanges, shownValue } from '../../shared/export/service-change-words.js';

type Service = NonNullable<OutputOf<'previewExport'>['services']>[number];

export function ServiceChangesView({ services }: { services: Service[] }) {
  const changed = services.filter(hasChanges);
  const unchanged = services.filter((service) => !hasChanges(service));
  return (
    <section className="panel" aria-labelledby="services-heading">
      <h2 id="services-heading">Changes by service</h2>
      {changed.length === 0 && <p>No service gets a change: the files already say this.</p>}
      {changed.map((service) => (
        <ServiceGroup key={service.name} service={service} />
      ))}
      {unchanged.length > 0 && (
        <p className="unchanged">
          <strong>{unchanged.map((service) => service.name).join(', ')}</strong> — unchanged
        </p>
      )}
    </section>
  );
}

function ServiceGroup({ service }: { service: Service }) {
  const id = `service-${service.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return (
    <section className="service-changes" aria-labelledby={id}>
      <h3 id={id}>
        <code>{service.name}</code> — {service.roleLabel}
      </h3>
      {service.variables.length > 0 && (
        <table className="diff">
          <caption className="visually-hidden">Changes for {service.name}, secrets masked</caption>
          <thead>
            <tr>
              <th scope="col">Variable</th>
              <th scope="col">Written in</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {service.variables.map((variable) => (
              <tr key={variable.key} className={`diff-${variable.action}`}>
                <th scope="row">
                  <code>{variable.key}</code>
                </th>
                <td>
                  <ul className="written-in">
                    {variable.writtenIn.map((line) => (
                      <li key={`${line.file}:${line.line}:${line.removed}`}>{describeWrittenLine(line, variable.key)}</li>
                    ))}
                  </ul>
                </td>
                <td>{variable.before === undefined ? <span className="muted">(not set)</span> : <code>{shownValue(variable.before)}</code>}</td>
                <td>{variable.after === undefined ? <span className="muted">(removed)</span> : <code>{shownValue(variable.after)}</code>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {service.entries.length > 0 && (
        <ul className="entries" aria-label={`Mounts and secrets of ${service.name}`}>
          {service.entries.map((entry) => (
            <li key={`${entry.field}:${entry.action}:${entry.entry}`}>{describeEntryChange(entry)}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
