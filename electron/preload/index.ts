// The preload exposes the typed API only; it never hands raw ipcRenderer to the page.
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('n8nSetup', Object.freeze({ platform: process.platform }));
