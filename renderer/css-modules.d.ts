// Vite bundles imported CSS into a file (the CSP allows only 'self' styles, never inline).
declare module '*.css';
