#!/usr/bin/env node
// The installed command: the single-file CLI built by `npm run build`. Node's compile cache (22.1+) keeps
// V8's compiled code between runs, so later runs skip compiling the bundle.
import module from 'node:module';

module.enableCompileCache?.();
await import('../dist/n8n-setup.cjs');
