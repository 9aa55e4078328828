/**
 * Choosing files and folders. The app uses the system's dialogs (chooseFolder, chooseFile); a browser
 * talking to `serve` cannot, so it lists folders through browseFolder, which only reaches inside the
 * user's home and the draft's output folder. Template HTML can be uploaded instead of chosen.
 */
import * as z from 'zod/mini';
import { TEMPLATE_KINDS, type TemplateKindName } from '../n8n/email-templates.js';
import { channel } from './channel-spec.js';
import { AbsolutePathSchema, plainText, ProfileNameSchema } from './common-schemas.js';

export const TEMPLATE_MAX_BYTES = 512 * 1024;

export const FILE_KINDS = ['env', 'compose', 'html', 'pem', 'json', 'any'] as const;

const TemplateKindSchema = z.enum(TEMPLATE_KINDS.map((t) => t.kind) as [TemplateKindName, ...TemplateKindName[]]);

const DialogOptions = {
  title: z.optional(z.string().check(z.maxLength(200))),
  defaultPath: z.optional(AbsolutePathSchema),
};

const ChosenPathSchema = z.object({ path: z.nullable(z.string()) });

export const FILE_CHANNELS = {
  uploadTemplate: channel({
    summary: "Stores an email template's HTML in the app's data folder and returns the path to put in the profile.",
    input: z.strictObject({
      profileName: ProfileNameSchema,
      kind: TemplateKindSchema,
      html: z.string().check(z.minLength(1), z.maxLength(TEMPLATE_MAX_BYTES), plainText),
    }),
    output: z.object({ file: z.string(), missingPlaceholders: z.array(z.string()), unknownPlaceholders: z.array(z.string()) }),
  }),
  browseFolder: channel({
    summary: "Lists a folder inside the user's home or the draft's output folder (the home folder when no path is given).",
    input: z.strictObject({ path: z.optional(AbsolutePathSchema) }),
    output: z.object({
      path: z.string(),
      /** null at the top of a root. */
      parent: z.nullable(z.string()),
      roots: z.array(z.string()),
      entries: z.array(z.object({ name: z.string(), path: z.string(), kind: z.enum(['folder', 'file']) })),
    }),
  }),
  makeFolder: channel({
    summary: "Makes one new folder in a folder browseFolder may list (0755, never over an existing name) and lists it.",
    input: z.strictObject({
      parent: AbsolutePathSchema,
      name: z.string().check(
        z.minLength(1),
        z.maxLength(255),
        z.refine((name) => !/[/\\\0]/.test(name) && name !== '.' && name !== '..' && name.trim() === name, 'must be one folder name: no slash, not . or .., no spaces at either end.'),
      ),
    }),
    output: z.object({
      path: z.string(),
      parent: z.nullable(z.string()),
      roots: z.array(z.string()),
      entries: z.array(z.object({ name: z.string(), path: z.string(), kind: z.enum(['folder', 'file']) })),
    }),
  }),
  chooseFolder: channel({
    summary: "The system's folder dialog (app only; `serve` answers NO_NATIVE_DIALOG: use browseFolder). null when cancelled.",
    input: z.strictObject(DialogOptions),
    output: ChosenPathSchema,
  }),
  chooseFile: channel({
    summary: "The system's file dialog, filtered by kind (app only, like chooseFolder). null when cancelled.",
    input: z.strictObject({ ...DialogOptions, kind: z.enum(FILE_KINDS) }),
    output: ChosenPathSchema,
  }),
};
