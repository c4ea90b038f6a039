// Type inference over the samples, by quicktype-core: it merges many samples into one type per
// event (missing fields optional, mixed types as unions, null kept, array items merged) and
// renders TypeScript, Zod, Python and Go. Loaded here only, when code is generated, so it never
// slows activation (dependencies.md §6). The options are pinned: no dates or enums guessed from a
// few values, no strings read as numbers or booleans.
import type { EventModel, HandlerModel } from './model';
import { GO_INT64_MAX, JS_SAFE_INTEGER, sampleText } from './samples';
import { renameCollidingTypes } from './typeNames';

export type InferenceLanguage = 'typescript' | 'typescript-zod' | 'python' | 'go';

const RENDERER_OPTIONS: Readonly<Record<InferenceLanguage, Record<string, string>>> = {
  typescript: { 'just-types': 'true', 'prefer-unknown': 'true', 'acronym-style': 'original' },
  'typescript-zod': { 'acronym-style': 'original' },
  python: { 'python-version': '3.7' },
  go: { package: 'main' },
};

/** Integers past these cannot be held by the language's default number and are typed as strings. */
const UNSAFE_ABOVE: Readonly<Record<InferenceLanguage, bigint | undefined>> = {
  typescript: JS_SAFE_INTEGER,
  'typescript-zod': JS_SAFE_INTEGER,
  python: undefined,
  go: GO_INT64_MAX,
};

/** The name of the type quicktype declares for one event's whole body. */
export function payloadTypeName(event: EventModel): string {
  return `${event.stem}Payload`;
}

/** The library and version that inferred the types, for the header of every generated file. */
export const INFERENCE_ENGINE = 'quicktype-core 26.0.0';

export async function inferTypes(
  model: HandlerModel,
  language: InferenceLanguage,
): Promise<string> {
  const { quicktype, InputData, jsonInputForTargetLanguage } = await import('quicktype-core');
  const input = jsonInputForTargetLanguage(language);
  for (const event of model.events) {
    // Identical bodies add nothing to the inferred type; dropping them keeps 1,000 samples fast.
    const samples = [
      ...new Set(event.samples.map((sample) => sampleText(sample.value, UNSAFE_ABOVE[language]))),
    ];
    await input.addSource({ name: payloadTypeName(event), samples });
  }
  const inputData = new InputData();
  inputData.addInput(input);
  const result = await quicktype({
    inputData,
    lang: language,
    rendererOptions: RENDERER_OPTIONS[language],
    inferEnums: false,
    inferDateTimes: false,
    inferIntegerStrings: false,
    inferBooleanStrings: false,
    inferUuids: false,
    alphabetizeProperties: false,
    // The handler HookLens writes around the types indents by two; Python and Go keep theirs.
    ...(language === 'typescript' || language === 'typescript-zod' ? { indentation: '  ' } : {}),
    // Similar classes are not merged by guesswork: an event whose samples all had an empty
    // `messages` array keeps `unknown[]` instead of borrowing another event's item type.
    combineClasses: false,
  });
  const roots = new Map(model.events.map((event) => [payloadTypeName(event), event.stem]));
  const rendered = renameCollidingTypes(`${result.lines.join('\n').trimEnd()}\n`, language, roots);
  return rendered + aliasesForMergedPayloads(rendered, model, language);
}

const DECLARATION: Readonly<Record<InferenceLanguage, (name: string) => RegExp>> = {
  typescript: (name) => new RegExp(`^export (interface|type) ${name}\\b`, 'm'),
  'typescript-zod': (name) => new RegExp(`^export const ${name}Schema\\b`, 'm'),
  python: (name) => new RegExp(`^class ${name}\\b`, 'm'),
  go: (name) => new RegExp(`^type ${name}\\b`, 'm'),
};

const ALIAS: Readonly<Record<InferenceLanguage, (name: string, existing: string) => string>> = {
  typescript: (name, existing) => `export type ${name} = ${existing};`,
  'typescript-zod': (name, existing) =>
    `export const ${name}Schema = ${existing}Schema;\nexport type ${name} = z.infer<typeof ${name}Schema>;`,
  python: (name, existing) => `${name} = ${existing}`,
  go: (name, existing) => `type ${name} = ${existing}`,
};

/**
 * Two events whose bodies have the same shape become one type in quicktype's graph, declared
 * under one event's name only; the handler names each event's type, so the others get an alias.
 * Same shape means the same field summary, which is how the twin is found.
 */
function aliasesForMergedPayloads(
  rendered: string,
  model: HandlerModel,
  language: InferenceLanguage,
): string {
  const declared = (event: EventModel): boolean =>
    DECLARATION[language](payloadTypeName(event)).test(rendered);
  const shape = (event: EventModel): string =>
    JSON.stringify(
      event.fields
        .map((field) => `${field.path}:${field.types.join('|')}${field.optional ? '?' : ''}`)
        .sort(),
    );
  const aliases = model.events
    .filter((event) => !declared(event))
    .map((event) => {
      const twin =
        model.events.find(
          (other) => other !== event && declared(other) && shape(other) === shape(event),
        ) ?? model.events.find((other) => other !== event && declared(other));
      if (!twin) throw new Error(`The type for ${payloadTypeName(event)} was not generated.`);
      return ALIAS[language](payloadTypeName(event), payloadTypeName(twin));
    });
  const marker = language === 'python' ? '#' : '//';
  return aliases.length === 0
    ? ''
    : `\n${marker} Events whose samples have the same shape share one type.\n${aliases.join('\n')}\n`;
}
