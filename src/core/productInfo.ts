/** Replaced by esbuild's `define` at build time; absent when core runs from source (unit tests). */
declare const HOOKLENS_VERSION: string | undefined;

export const PRODUCT_NAME = 'HookLens';
export const PRODUCT_VERSION: string =
  typeof HOOKLENS_VERSION === 'string' ? HOOKLENS_VERSION : '0.0.0-dev';
