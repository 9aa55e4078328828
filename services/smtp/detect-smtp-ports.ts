/** The ports auto-detect probes, apart from the module that probes them (the app loads that on first use). */
export interface DetectPort {
  port: number;
  mode: 'tls' | 'starttls';
}

export const DETECT_PORTS: readonly DetectPort[] = [
  { port: 465, mode: 'tls' },
  { port: 587, mode: 'starttls' },
  { port: 2525, mode: 'starttls' },
  { port: 25, mode: 'starttls' },
];
