// `node --import` this file to run a built main bundle with the fake electron module, recording every
// module it resolves (globalThis.__loadedModules), so a test can see what startup loads. Test support only.
import { registerHooks } from 'node:module';

const fake = new URL('./fake-electron-module.mjs', import.meta.url).href;
const loaded = new Set();
globalThis.__loadedModules = loaded;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'electron') return { url: fake, shortCircuit: true };
    const result = nextResolve(specifier, context);
    loaded.add(result.url);
    return result;
  },
});
