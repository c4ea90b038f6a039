// The manifest's words (issue 16 item 9): every title, name, description and welcome text in
// package.json is a "%key%" with its English in package.nls.json and its German in
// package.nls.de.json, so VS Code shows them in the display language. A string written straight
// into package.json fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readManifestRaw, readNls, ROOT } from './manifest';

type Json = Record<string, unknown>;

/** Where the manifest holds words a user reads, as [path, value] pairs. */
function userFacingStrings(manifest: Json): Array<[string, unknown]> {
  const found: Array<[string, unknown]> = [];
  const add = (path: string, value: unknown): void => {
    if (value !== undefined) found.push([path, value]);
  };
  const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
  const record = (value: unknown): Json =>
    typeof value === 'object' && value !== null ? (value as Json) : {};
  add('displayName', manifest.displayName);
  add('description', manifest.description);
  const contributes = record(manifest.contributes);
  for (const command of list(contributes.commands)) {
    add(`commands.${String(command.command)}.title`, command.title);
    add(`commands.${String(command.command)}.shortTitle`, command.shortTitle);
  }
  for (const [where, containers] of Object.entries(record(contributes.viewsContainers))) {
    for (const container of list(containers))
      add(`viewsContainers.${where}.title`, container.title);
  }
  for (const views of Object.values(record(contributes.views))) {
    for (const view of list(views)) {
      add(`views.${String(view.id)}.name`, view.name);
      add(`views.${String(view.id)}.contextualTitle`, view.contextualTitle);
    }
  }
  for (const welcome of list(contributes.viewsWelcome))
    add('viewsWelcome.contents', welcome.contents);
  const schema = (path: string, value: Json): void => {
    for (const field of ['description', 'markdownDescription'])
      add(`${path}.${field}`, value[field]);
    for (const field of ['enumDescriptions', 'markdownEnumDescriptions']) {
      for (const [index, text] of list(value[field]).entries())
        add(`${path}.${field}.${index}`, text);
    }
    for (const [key, nested] of Object.entries(record(value.properties))) {
      schema(`${path}.${key}`, record(nested));
    }
    for (const [index, alternative] of list(value.anyOf).entries()) {
      schema(`${path}.anyOf.${index}`, alternative);
    }
    if (value.items !== undefined) schema(`${path}.items`, record(value.items));
  };
  const configuration = contributes.configuration;
  for (const section of Array.isArray(configuration)
    ? list(configuration)
    : [record(configuration)]) {
    add('configuration.title', section.title);
    for (const [key, setting] of Object.entries(record(section.properties)))
      schema(key, record(setting));
  }
  for (const walkthrough of list(contributes.walkthroughs)) {
    add('walkthrough.title', walkthrough.title);
    add('walkthrough.description', walkthrough.description);
    for (const step of list(walkthrough.steps)) {
      add(`walkthrough.${String(step.id)}.title`, step.title);
      add(`walkthrough.${String(step.id)}.description`, step.description);
      add(`walkthrough.${String(step.id)}.altText`, record(step.media).altText);
    }
  }
  for (const tool of list(contributes.languageModelTools)) {
    add(`languageModelTools.${String(tool.name)}.displayName`, tool.displayName);
    add(`languageModelTools.${String(tool.name)}.userDescription`, tool.userDescription);
  }
  return found;
}

/** The parts of a text that must come through a translation unchanged. */
function protectedTokens(text: string): string[] {
  return (
    text.match(
      /`[^`]*`|\{\w+\}|\(command:[^)]*\)|\(https?:[^)]*\)|#hooklens\.[\w.]+#|\$\([\w-]+\)/g,
    ) ?? []
  ).sort();
}

const manifest = readManifestRaw() as Json;
const english = readNls();
const german = readNls('de');
const strings = userFacingStrings(manifest);

describe('the manifest in package.nls.json', () => {
  it('finds the manifest words to check', () => {
    assert.ok(strings.length > 100, `found ${strings.length}`);
  });

  it('every title, name and description is a %key% with its English in package.nls.json', () => {
    const hardCoded = strings.filter(
      ([, value]) => typeof value !== 'string' || !/^%.+%$/.test(value),
    );
    assert.deepEqual(hardCoded, [], 'write these into package.nls.json and use "%key%"');
    const missing = strings
      .map(([, value]) => String(value).slice(1, -1))
      .filter((key) => !Object.hasOwn(english, key));
    assert.deepEqual(missing, [], 'keys used in package.json but not in package.nls.json');
  });

  it('package.nls.json has no key that package.json does not use', () => {
    const used = new Set(strings.map(([, value]) => String(value).slice(1, -1)));
    assert.deepEqual(
      Object.keys(english).filter((key) => !used.has(key)),
      [],
    );
  });

  it('the German has every key, with the same code, placeholders, links and setting references', () => {
    assert.deepEqual(Object.keys(german), Object.keys(english));
    for (const [key, text] of Object.entries(english)) {
      const translated = german[key] ?? '';
      assert.ok(translated.trim().length > 0, `${key} is translated`);
      assert.deepEqual(protectedTokens(translated), protectedTokens(text), key);
    }
    const untranslated = Object.keys(english).filter(
      (key) => german[key] === english[key] && /[a-z]{3,} [a-z]{3,}/i.test(english[key] ?? ''),
    );
    assert.deepEqual(untranslated, [], 'English sentences copied into the German');
  });

  it('the package ships the translations', () => {
    const ignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(ignore.includes('!package.nls.json'));
    assert.ok(ignore.includes('!package.nls.*.json'));
  });

  it('the check itself catches a hard-coded title and a lost placeholder', () => {
    const sample = userFacingStrings({
      contributes: { commands: [{ command: 'x', title: 'Plain Title' }] },
    });
    assert.deepEqual(sample, [['commands.x.title', 'Plain Title']]);
    assert.notDeepEqual(protectedTokens('Use `a` and {0}'), protectedTokens('Nutze a und {0}'));
  });
});
