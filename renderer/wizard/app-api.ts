/** The one API this page talks to, picked once at startup (the preload's in the app, HTTP under `serve`). */
import { pickApi } from '../api/pick-api.js';

export const api = pickApi(window);
