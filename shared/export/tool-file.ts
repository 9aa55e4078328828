/**
 * The single-file CLI, written into every export so that the commands the Done step prints run as printed
 * on the server: `node tools/n8n-setup.cjs smtp-test --env .env --compose compose.yaml …`, or copied into
 * the n8n container. It has no native modules, so the Node inside the n8n image runs it too.
 */
export const TOOL_FILE = 'tools/n8n-setup.cjs';

/** Written as the bytes of the bundle, never decoded: it is code, not settings to plan or diff. */
export const TOOL_FILE_MODE = 0o644;
