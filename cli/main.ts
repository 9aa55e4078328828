/** The n8n-setup command line: the same services the app uses, for servers without a desktop. */
import { exitCodeFor, formatError, toErrorData, type CliIo } from './cli-io.js';

type Command = (args: string[], io: CliIo) => Promise<number>;

// Each command loads only what it uses (an export never loads the mailer, nor the keychain when a
// password is given).
const COMMANDS: Record<string, { load: () => Promise<Command>; summary: string }> = {
  export: { load: async () => (await import('./commands/export-command.js')).exportCommand, summary: 'write or update .env, compose, secrets and proxy files from a profile' },
  import: { load: async () => (await import('./commands/import-command.js')).importCommand, summary: 'read an existing .env (and compose file) into a profile, with what n8n would ignore' },
  apply: { load: async () => (await import('./commands/apply-command.js')).applyCommand, summary: 'run docker compose up -d where the export wrote (here or on a server), after asking' },
  restore: { load: async () => (await import('./commands/restore-command.js')).restoreCommand, summary: 'list or restore the backups export made' },
  'smtp-test': { load: async () => (await import('./commands/smtp-test-command.js')).smtpTestCommand, summary: 'send a real test email with the settings n8n uses; says what to change when it fails' },
  'smtp-detect': { load: async () => (await import('./commands/smtp-detect-command.js')).smtpDetectCommand, summary: 'probe ports 465, 587, 2525 and 25 of a mail server and recommend the setting' },
  check: { load: async () => (await import('./commands/check-command.js')).checkCommand, summary: 'ask a running n8n which URL, email and cookie settings it uses, and compare them with the profile' },
  serve: { load: async () => (await import('./commands/serve-command.js')).serveCommand, summary: 'run the setup wizard in a browser, served on 127.0.0.1 (for servers without a desktop)' },
  secret: { load: async () => (await import('./commands/secret-command.js')).secretCommand, summary: "store, check or delete a profile's SMTP password or key in the OS keychain" },
};

export const MAIN_HELP = `Usage: n8n-setup <command> [options]

Sets up email (SMTP) and the public URL for a self-hosted n8n, and checks them.

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`)
  .join('\n')}

Run \`n8n-setup <command> --help\` for its options.
`;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(MAIN_HELP);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.stdout(`${__APP_VERSION__}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(formatError({ code: 'INVALID_ARGUMENT', message: `unknown command "${name}".`, fix: 'Run `n8n-setup --help` for the list.' }));
    return 2;
  }
  try {
    return await (await command.load())(args, io);
  } catch (error) {
    const data = toErrorData(error);
    if (args.includes('--json')) io.stdout(`${JSON.stringify({ ok: false, error: data })}\n`);
    io.stderr(formatError(data));
    return exitCodeFor(data);
  }
}

declare const __APP_VERSION__: string;
