/**
 * The wizard's state: the non-secret draft (saved by the services), where the admin is, and what the
 * services answered in this session (test result, review, export). Secrets are never put here.
 */
import { create } from 'zustand';
import type { OutputOf } from '../../shared/ipc/contract.js';
import type { TemplateKindName } from '../../shared/n8n/email-templates.js';
import { EMPTY_DRAFT, type WizardDraft } from './wizard-draft.js';
import { STEP_IDS, type StepId } from './step-ids.js';
import { prefillFor } from './prefill.js';

/** What the test email is sent with: changing any of them makes its result stale. */
export const TEST_INPUTS = ['emailMode', 'presetId', 'host', 'port', 'security', 'caFile', 'authType', 'user', 'serviceClient', 'sender', 'testTo'] as const satisfies ReadonlyArray<keyof WizardDraft>;

export interface WizardState {
  loaded: boolean;
  draft: WizardDraft;
  step: StepId;
  /** The furthest step reached: the stepper lets the admin jump back and forth up to it. */
  reached: number;
  imported?: OutputOf<'importSetup'>;
  testResult?: OutputOf<'testSmtp'>;
  exportResult?: OutputOf<'writeExport'>;
  /** Uploaded template HTML, for the preview; this session only. */
  templateHtml: Partial<Record<TemplateKindName, string>>;
  /** Whether the saved secret may go to a server it was not saved for, by server (JSON of host, port, user); this session only. */
  secretForNewServer: Record<string, boolean>;
  /** Secrets in .env that nothing reads, ticked for removal on the review, for the folder they were ticked in; names only, this session only. */
  unusedSecretRemoval: { outDir: string; keys: readonly string[] };
  /** The server (as typed) whose host key this computer knows, checked in this session. */
  serverKnown?: string;
  answerSecretForNewServer(endpoint: string, use: boolean): void;
  update(patch: Partial<WizardDraft>): void;
  goTo(step: StepId): void;
  hydrate(draft: WizardDraft, step: StepId | undefined): void;
  set(patch: Partial<Pick<WizardState, 'imported' | 'testResult' | 'exportResult' | 'templateHtml' | 'unusedSecretRemoval' | 'serverKnown'>>): void;
}

export const useWizard = create<WizardState>()((set) => ({
  loaded: false,
  draft: EMPTY_DRAFT,
  step: 'welcome',
  reached: 0,
  templateHtml: {},
  secretForNewServer: {},
  unusedSecretRemoval: { outDir: '', keys: [] },
  answerSecretForNewServer: (endpoint, use) => set((state) => ({ secretForNewServer: { ...state.secretForNewServer, [endpoint]: use } })),
  update: (patch) =>
    set((state) => {
      const draft = { ...state.draft, ...patch };
      // A test result holds only for the settings it was sent with.
      const stale = TEST_INPUTS.some((field) => draft[field] !== state.draft[field]);
      return { draft, ...(stale && { testResult: undefined }) };
    }),
  goTo: (step) =>
    set((state) => {
      // A step opens with what the admin typed elsewhere in its empty fields (prefill.ts); a result goes if that changes its inputs.
      const prefill = prefillFor(step, state.draft);
      const draft = { ...state.draft, ...prefill };
      const stale = TEST_INPUTS.some((field) => draft[field] !== state.draft[field]);
      return { step, reached: Math.max(state.reached, STEP_IDS.indexOf(step)), draft, ...(stale && { testResult: undefined }) };
    }),
  hydrate: (draft, step) => set({ loaded: true, draft, step: step ?? 'welcome', reached: STEP_IDS.indexOf(step ?? 'welcome') }),
  set: (patch) => set(patch),
}));
