// The small part of JSON Schema the agent tools are described with, and a checker for it, so a
// tool's input is validated by the same description the agents read (VS Code validates against
// the contributed schema too, MCP clients may not). No dependency: the extension bundle stays
// small, and only what the definitions use is supported.

export type JsonSchema =
  | {
      readonly type: 'object';
      readonly description?: string;
      readonly properties: Readonly<Record<string, JsonSchema>>;
      readonly required?: readonly string[];
      readonly additionalProperties?: boolean;
    }
  | {
      readonly type: 'array';
      readonly description?: string;
      readonly items: JsonSchema;
      readonly maxItems?: number;
    }
  | {
      readonly type: 'string';
      readonly description?: string;
      readonly enum?: readonly string[];
      readonly maxLength?: number;
      readonly minLength?: number;
    }
  | {
      readonly type: 'integer' | 'number';
      readonly description?: string;
      readonly minimum?: number;
      readonly maximum?: number;
    }
  | { readonly type: 'boolean'; readonly description?: string }
  /** Output only: a value whose shape is not described further (a parsed JSON body). */
  | { readonly description?: string; readonly type?: undefined }
  /** Output only: one of several types (`['integer', 'null']`). */
  | {
      readonly type: readonly (
        'string' | 'integer' | 'number' | 'boolean' | 'null' | 'object' | 'array'
      )[];
      readonly description?: string;
      readonly items?: JsonSchema;
      readonly properties?: Readonly<Record<string, JsonSchema>>;
    };

/**
 * Checks `value` against an input schema. Returns a sentence naming the first problem (for the
 * agent to fix its call), or undefined when the value fits.
 */
export function schemaProblem(
  schema: JsonSchema,
  value: unknown,
  path = 'input',
): string | undefined {
  if (schema.type === undefined || Array.isArray(schema.type)) return undefined;
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return `${path} must be an object.`;
      }
      const record = value as Record<string, unknown>;
      for (const name of schema.required ?? []) {
        if (record[name] === undefined) return `${path}.${name} is required.`;
      }
      for (const [name, item] of Object.entries(record)) {
        const property = schema.properties[name];
        if (property === undefined) {
          if (schema.additionalProperties === false) {
            return `${path} has no property '${name.slice(0, 60)}'. Known: ${Object.keys(schema.properties).join(', ')}.`;
          }
          continue;
        }
        if (item === undefined || item === null) continue;
        const problem = schemaProblem(property, item, `${path}.${name}`);
        if (problem !== undefined) return problem;
      }
      return undefined;
    }
    case 'array': {
      if (!Array.isArray(value)) return `${path} must be an array.`;
      if (schema.maxItems !== undefined && value.length > schema.maxItems) {
        return `${path} has ${value.length} items; at most ${schema.maxItems}.`;
      }
      for (let index = 0; index < value.length; index++) {
        const problem = schemaProblem(schema.items, value[index], `${path}[${index}]`);
        if (problem !== undefined) return problem;
      }
      return undefined;
    }
    case 'string':
      if (typeof value !== 'string') return `${path} must be a string.`;
      if (schema.enum !== undefined && !schema.enum.includes(value)) {
        return `${path} must be one of ${schema.enum.join(', ')}; not '${value.slice(0, 60)}'.`;
      }
      if (schema.maxLength !== undefined && value.length > schema.maxLength) {
        return `${path} is longer than ${schema.maxLength} characters.`;
      }
      if (schema.minLength !== undefined && value.length < schema.minLength) {
        return `${path} must have at least ${schema.minLength} characters.`;
      }
      return undefined;
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${path} must be a number.`;
      if (schema.type === 'integer' && !Number.isInteger(value)) {
        return `${path} must be a whole number.`;
      }
      const { minimum, maximum } = schema;
      if (
        (minimum !== undefined && value < minimum) ||
        (maximum !== undefined && value > maximum)
      ) {
        return `${path} must be from ${minimum ?? '-∞'} to ${maximum ?? '∞'}.`;
      }
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${path} must be true or false.`;
  }
  return undefined;
}
