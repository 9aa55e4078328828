// zod/mini, like the schemas (it re-exports the core toJSONSchema).
import * as z from 'zod/mini';
import { ProfileSchema } from './profile-schema.js';

/** The profile's JSON Schema, published as docs/profile.schema.json for editors and other tools. */
export function profileJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ProfileSchema, { io: 'input', unrepresentable: 'any' });
  return {
    ...schema,
    title: 'n8n Setup profile',
    description: 'Everything the admin decides about email and the public URL of a self-hosted n8n, without secrets.',
  };
}

export function profileJsonSchemaText(): string {
  return `${JSON.stringify(profileJsonSchema(), null, 2)}\n`;
}
