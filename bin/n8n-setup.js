#!/usr/bin/env node
// The installed command: the single-file CLI built by `npm run build`.
import '../dist/n8n-setup.cjs';
