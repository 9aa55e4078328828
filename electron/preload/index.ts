// The preload: exposes the typed API (create-api.ts) and nothing else. The only file besides
// electron/main/index.ts that may import ipcRenderer; bundled to one CommonJS file (sandboxed preloads
// cannot load ES modules or other files).
import { contextBridge, ipcRenderer } from 'electron';
import { API_GLOBAL } from '../../shared/ipc/setup-api.js';
import { createApi } from './create-api.js';

contextBridge.exposeInMainWorld(API_GLOBAL, createApi(ipcRenderer));
