#!/usr/bin/env node
// The installed command: the single-file CLI built by `npm run build`. Node's compile cache (22.1+) keeps
// V8's compiled code between runs, so later runs skip compiling the bundle. The bundle is CommonJS and loaded
// with require: an ESM import of it would first scan all of it for export names and wrap it as a module.
import module from 'node:module';

module.enableCompileCache?.();
module.createRequire(import.meta.url)('../dist/n8n-setup.cjs');
