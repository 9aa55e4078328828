/** The CLI exactly as cli/index.ts starts it, bundled by the keychain tests and run as a real process. */
import '../../cli/index.js';
