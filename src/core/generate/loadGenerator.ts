// Loads code generation on demand. In the packaged extension and CLI it is its own bundle,
// dist/generator.js, so its type-inference library is read from disk only when the user generates
// (activation stays fast; bench/activation.ts checks). From source (tests), the module itself.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as Generator from './index';

export type GeneratorModule = typeof Generator;

export async function loadGenerator(): Promise<GeneratorModule> {
  const bundled = join(__dirname, 'generator.js');
  if (existsSync(bundled)) return createRequire(__filename)(bundled) as GeneratorModule;
  // A variable, so the bundler leaves this import alone instead of inlining the generator.
  const fromSource = './index';
  return (await import(fromSource)) as GeneratorModule;
}
