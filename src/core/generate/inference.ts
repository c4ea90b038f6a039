// Type inference over the samples, by quicktype-core: it merges many samples into one type per
// event (missing fields optional, mixed types as unions, null kept, array items merged) and
// renders TypeScript, Zod, Python and Go. Loaded here only, when code is generated, so it never
// slows activation (dependencies.md §6). The options are pinned: no dates or enums guessed from a
// few values, no strings read as numbers or booleans.
//
// Three changes to what quicktype would infer from the samples alone, so the types hold for the
// sender's real traffic and not only for the few deliveries captured:
// - a field that was `null` in every sample is optional and of unknown type (one `null` says
//   nothing about the field's type, and a later delivery may well leave it out);
// - a number written as a fraction or with an exponent (`1.0`, `-0.0`, `1e5`) is a float, as the
//   generated parsers read it (quicktype sees only JavaScript's number, where `1.0` is `1`);
// - every event keeps its own type (fixed top-levels), so two events with one shape never share a
//   declaration under one event's name.
// Each event's type is then looked up under the name quicktype actually gave it (`URLVerification…`
// in Python and Go, which write acronyms in capitals), never guessed.
import { isLosslessNumber, LosslessNumber, stringify } from 'lossless-json';
import type { EventModel, HandlerModel } from './model';
import { goTypes } from './goTypes';
import { pythonTypes } from './pythonTypes';
import { GO_INT64_MAX, isUnsafeInteger, JS_SAFE_INTEGER } from './samples';
import { renameCollidingTypes } from './typeNames';
import { zodTypes } from './zodTypes';

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

/**
 * The name HookLens asks quicktype to give one event's whole body. The name it actually got is in
 * `InferredTypes.names` (Python and Go write acronyms in capitals: `URLVerificationPayload`).
 */
export function payloadTypeName(event: EventModel): string {
  return `${event.stem}Payload`;
}

/** The library and version that inferred the types, for the header of every generated file. */
export const INFERENCE_ENGINE = 'quicktype-core 26.0.0';

export interface InferredTypes {
  /** The declarations, ready to follow the file header. */
  readonly source: string;
  /** Each event's stem → the name of its body's type in `source`, as quicktype wrote it. */
  readonly names: ReadonlyMap<string, string>;
}

/** The type name of `event`'s body in `types` (the name quicktype gave it). */
export function typeNameOf(types: InferredTypes, event: EventModel): string {
  const name = types.names.get(event.stem);
  if (name === undefined) throw new Error(`No type was inferred for ${payloadTypeName(event)}.`);
  return name;
}

export async function inferTypes(
  model: HandlerModel,
  language: InferenceLanguage,
): Promise<InferredTypes> {
  const quicktypeCore = await loadQuicktype();
  const { quicktype, InputData, jsonInputForTargetLanguage } = quicktypeCore;
  const inputData = new InputData();
  // One input per event, added in the model's order: each is read with its own field rules.
  for (const event of model.events) {
    // Identical bodies add nothing to the inferred type; dropping them keeps 1,000 samples fast.
    const samples = [
      ...new Set(
        event.samples.map((sample) => inferenceText(sample.value, UNSAFE_ABOVE[language])),
      ),
    ];
    const input = jsonInputForTargetLanguage(language);
    const lenient = language !== 'go' && samples.length < CONFIDENT_SAMPLES;
    adjustFields(input, quicktypeCore, lenient);
    await input.addSource({ name: payloadTypeName(event), samples });
    inputData.addInput(input);
  }
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
    // Each event's body is its own type, even when two events have one shape.
    fixedTopLevels: true,
  });
  const rendered = `${result.lines.join('\n').trimEnd()}\n`;
  const produced = producedNames(rendered, model, language);
  const roots = new Map(model.events.map((event) => [produced.get(event.stem)!, event.stem]));
  const renamed = renameCollidingTypes(rendered, language, roots);
  return {
    source: FINISH[language](renamed),
    // Read again after renaming, in case a top-level type was one of the renamed.
    names: producedNames(renamed, model, language),
  };
}

/** What HookLens changes in quicktype's output, per language. */
const FINISH: Readonly<Record<InferenceLanguage, (source: string) => string>> = {
  typescript: (source) => source,
  'typescript-zod': zodTypes,
  python: pythonTypes,
  go: goTypes,
};

/**
 * A sample as the JSON text quicktype infers from. Integers beyond `unsafeAbove` become strings of
 * their digits: that is how the generated parser hands them over in languages whose numbers cannot
 * hold them (C-05). A number written as a fraction or with an exponent becomes `0.5`: quicktype
 * reads samples with JSON.parse, which makes `1.0` an integer, while Python's json and Go's
 * encoding/json read it as a float. Only the type is inferred from numbers, never their value.
 */
export function inferenceText(value: unknown, unsafeAbove?: bigint): string {
  const replace = (node: unknown): unknown => {
    if (!isLosslessNumber(node)) return node;
    if (unsafeAbove !== undefined && isUnsafeInteger(node.value, unsafeAbove)) return node.value;
    return /[.eE]/.test(node.value) ? new LosslessNumber('0.5') : node;
  };
  return stringify(value, (_key: string, node: unknown) => replace(node)) ?? 'null';
}

/** quicktype-core as this module loads it: on demand, as an ES module. */
const loadQuicktype = () => import('quicktype-core');
type QuicktypeCore = Awaited<ReturnType<typeof loadQuicktype>>;
type TypeBuilder = InstanceType<QuicktypeCore['TypeBuilder']>;
type JsonInput = ReturnType<QuicktypeCore['jsonInputForTargetLanguage']>;

/**
 * Below this many distinct samples of an event, every field of its types is optional and may be
 * null (TypeScript, Zod, Python): a few deliveries show which fields a sender uses and what they
 * hold, not which ones it always sends or never leaves null. From 30 samples that all had a field,
 * non-null, it is required (the rule of three: none missing in 30 puts the rate of deliveries
 * without it under 10%, at 95% confidence). Go reads a missing or null field as its zero value,
 * so its types keep what the samples showed.
 */
export const CONFIDENT_SAMPLES = 30;

/**
 * What the samples cannot show, applied as quicktype infers each class property. quicktype types
 * a field that was `null` in every sample as null-only, so the generated parsers refuse the first
 * real value: such a field becomes optional and of unknown type. With `lenient`, every other
 * field becomes optional and nullable too. The input's type builder is wrapped only while this
 * input adds its types (quicktype adds inputs one after another).
 */
function adjustFields(input: JsonInput, core: QuicktypeCore, lenient: boolean): void {
  const wrap = (builder: TypeBuilder): (() => void) => {
    const make = builder.makeClassProperty.bind(builder);
    builder.makeClassProperty = (tref, isOptional) => {
      const type = core.derefTypeRef(tref, builder.typeGraph);
      if (type.kind === 'null') return make(builder.getPrimitiveType('any'), true);
      if (!lenient) return make(tref, isOptional);
      if (type.kind === 'any' || type.isNullable) return make(tref, true);
      const nullable = builder.getUnionType(
        core.emptyTypeAttributes,
        new Set([tref, builder.getPrimitiveType('null')]),
      );
      return make(nullable, true);
    };
    // The wrapper is an own property; removing it restores the prototype's method.
    return () => void Reflect.deleteProperty(builder, 'makeClassProperty');
  };
  const addTypes = input.addTypes.bind(input);
  const addTypesSync = input.addTypesSync.bind(input);
  input.addTypes = async (context, builder, ...rest) => {
    const restore = wrap(builder);
    try {
      await addTypes(context, builder, ...rest);
    } finally {
      restore();
    }
  };
  input.addTypesSync = (context, builder, ...rest) => {
    const restore = wrap(builder);
    try {
      addTypesSync(context, builder, ...rest);
    } finally {
      restore();
    }
  };
}

/** How each language declares a top-level type, for the check that every event has one. */
const DECLARATION: Readonly<Record<InferenceLanguage, (name: string) => RegExp>> = {
  typescript: (name) => new RegExp(`^export (interface|type) ${name}\\b`, 'm'),
  'typescript-zod': (name) => new RegExp(`^export const ${name}Schema\\b`, 'm'),
  python: (name) => new RegExp(`^class ${name}\\b`, 'm'),
  go: (name) => new RegExp(`^type ${name}\\b`, 'm'),
};

/**
 * The names quicktype gave the events' types. Python and Go write one function per top-level type,
 * in the order the sources were added (`def x_from_dict(s: Any) -> Name:`, `func UnmarshalName(`),
 * which names the type. TypeScript keeps the requested name (acronym style `original`).
 */
function producedNames(
  rendered: string,
  model: HandlerModel,
  language: InferenceLanguage,
): Map<string, string> {
  const pattern =
    language === 'python'
      ? /^def \w+_from_dict\(s: Any\) -> (?<name>[A-Za-z_][A-Za-z0-9_]*):$/gm
      : language === 'go'
        ? // The handler calls Unmarshal<Name>: only a function named after its type is counted.
          /^func Unmarshal(?<name>[A-Za-z_][A-Za-z0-9_]*)\(data \[\]byte\) \(\k<name>, error\) \{$/gm
        : undefined;
  const found = pattern
    ? [...rendered.matchAll(pattern)].map((match) => match.groups!['name']!)
    : model.events.map(payloadTypeName);
  if (found.length !== model.events.length) {
    throw new Error(
      `quicktype wrote ${found.length} top-level types for ${model.events.length} events.`,
    );
  }
  const names = new Map<string, string>();
  model.events.forEach((event, index) => {
    const name = found[index]!;
    if (!DECLARATION[language](name).test(rendered)) {
      throw new Error(`The type for ${payloadTypeName(event)} (${name}) was not generated.`);
    }
    if ([...names.values()].includes(name)) {
      throw new Error(`Two events were given one type name, ${name}.`);
    }
    names.set(event.stem, name);
  });
  return names;
}
