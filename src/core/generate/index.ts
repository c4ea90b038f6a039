// Entry point of code generation, and of the separate `dist/generator.js` bundle: the extension
// and the CLI load it only when the user generates, so quicktype never costs activation time.
import {
  FRAMEWORKS,
  GenerationError,
  type GeneratedCode,
  type GeneratedFile,
  type GenerationFramework,
  type GenerationLanguage,
  type GenerationTarget,
  type HandlerModel,
} from './model';
import { buildHandlerModel, type GenerationRecord, type ModelOptions } from './samples';
import { goFiles } from './targets/go';
import { pythonFiles } from './targets/python';
import { typescriptFiles } from './targets/typescript';

export { FRAMEWORKS, GenerationError };
export type {
  GeneratedCode,
  GeneratedFile,
  GenerationFramework,
  GenerationLanguage,
  GenerationTarget,
  GenerationRecord,
  HandlerModel,
};

const RENDERERS: Readonly<
  Record<
    GenerationLanguage,
    (model: HandlerModel, target: GenerationTarget) => Promise<GeneratedFile[]>
  >
> = { typescript: typescriptFiles, python: pythonFiles, go: goFiles };

/** Checks a language/framework pair; the message names what is offered. */
export function resolveTarget(
  language: string,
  framework: string | undefined,
  zod = false,
): GenerationTarget {
  if (!(language in FRAMEWORKS)) {
    throw new GenerationError(
      `HookLens generates typescript, python or go, not ${JSON.stringify(language)}.`,
    );
  }
  const offered = FRAMEWORKS[language as GenerationLanguage];
  const chosen = framework ?? offered[0]!;
  if (!(offered as readonly string[]).includes(chosen)) {
    throw new GenerationError(
      `For ${language} HookLens offers ${offered.join(' or ')}, not ${JSON.stringify(chosen)}.`,
    );
  }
  if (zod && language !== 'typescript')
    throw new GenerationError('Zod schemas are a TypeScript option.');
  return {
    language: language as GenerationLanguage,
    framework: chosen as GenerationFramework,
    zod,
  };
}

export async function generateHandlerCode(
  records: readonly GenerationRecord[],
  target: GenerationTarget,
  options: ModelOptions = {},
): Promise<GeneratedCode> {
  const model = buildHandlerModel(records, options);
  const files = await RENDERERS[target.language](model, target);
  return { target, files, model };
}
