/** The welcome step's account of an imported compose file: who runs it, what routes the public URL, and each service's part. */
import type { OutputOf } from '../../shared/ipc/contract.js';
import { deploymentHeadline, serviceFacts, serviceLines } from '../../shared/deployment/deployment-summary.js';

type Summary = NonNullable<OutputOf<'importSetup'>['deployment']>;
type Service = Summary['services'][number];

export function DeploymentServices({ summary }: { summary: Summary }) {
  return (
    <section className="deployment" aria-labelledby="deployment-heading">
      <h3 id="deployment-heading">What this folder runs</h3>
      <p>{deploymentHeadline(summary)}</p>
      <ul className="services" aria-label="Services">
        {serviceLines(summary.services).map((line) => (
          <li key={line.names.join(',')}>
            <strong>{line.names.join(', ')}</strong> — {line.words}
            {line.services.length === 1 && <ServiceFacts service={line.services[0]!} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ServiceFacts({ service }: { service: Service }) {
  const facts = serviceFacts(service);
  return facts.length > 0 ? <span className="muted"> · {facts.join(' · ')}</span> : null;
}
