import { N8N_WEBHOOK_URL_SINCE } from './n8n-variables.js';

export interface ImageVersion {
  major: number;
  minor: number;
  patch: number;
}

/** The n8n version in an image tag such as `docker.n8n.io/n8nio/n8n:2.41.1`; undefined for `latest`, digests, etc. */
export function imageVersion(image: string): ImageVersion | undefined {
  const tag = /:([^/:@]+)(?:@sha256:[a-f0-9]+)?$/.exec(image)?.[1];
  const match = tag ? /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(tag) : null;
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3] ?? 0) };
}

/** Whether the image reads N8N_WEBHOOK_URL (else only the deprecated WEBHOOK_URL). Unknown tags count as current. */
export function readsN8nWebhookUrl(image: string): boolean {
  const version = imageVersion(image);
  if (!version) return true;
  const since = N8N_WEBHOOK_URL_SINCE;
  return version.major > since.major || (version.major === since.major && version.minor >= since.minor);
}
