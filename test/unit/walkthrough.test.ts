// The Getting Started walkthrough (package.json `contributes.walkthroughs`): every command it links
// is one HookLens contributes, every media file ships, and every step can tick itself off with
// an event that can really happen (a contributed command, a context key the extension sets, a
// setting it declares).
import assert from 'node:assert/strict';
import { readManifest } from './manifest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');

type ThemedImage = string | { light: string; dark: string; hc: string; hcLight?: string };
interface Step {
  id: string;
  title: string;
  description: string;
  media: { svg?: string; image?: ThemedImage; markdown?: string; altText?: string };
  completionEvents?: string[];
}
interface Walkthrough {
  id: string;
  title: string;
  description: string;
  steps: Step[];
}
interface Manifest {
  contributes: {
    commands: Array<{ command: string }>;
    configuration:
      { properties: Record<string, unknown> } | Array<{ properties: Record<string, unknown> }>;
    walkthroughs?: Walkthrough[];
  };
}

const manifest = readManifest<Manifest>();
const walkthroughs = manifest.contributes.walkthroughs ?? [];
const contributed = new Set(manifest.contributes.commands.map((entry) => entry.command));
const settings = new Set(
  [manifest.contributes.configuration].flat().flatMap((section) => Object.keys(section.properties)),
);

function mediaFiles(step: Step): string[] {
  const { svg, image, markdown } = step.media;
  const images =
    image === undefined ? [] : typeof image === 'string' ? [image] : Object.values(image);
  return [svg, markdown, ...images].filter((file): file is string => typeof file === 'string');
}

/** `command:hooklens.x` and `command:hooklens.x?["arg"]` links, in Markdown link targets. */
function commandLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(command:([\w.-]+)/g)].map((match) => match[1] as string);
}

/** Every context key the extension sets: `'setContext', 'hooklens.x'` anywhere in src. */
function contextKeysSet(): Set<string> {
  const keys = new Set<string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const match of text.matchAll(/'setContext',\s*'([\w.]+)'/g))
          keys.add(match[1] as string);
      }
    }
  };
  walk(join(ROOT, 'src'));
  return keys;
}

describe('Getting Started walkthrough', () => {
  it('is contributed, with the steps from a first delivery to a generated handler', () => {
    assert.equal(walkthroughs.length, 1);
    const [walkthrough] = walkthroughs as [Walkthrough];
    assert.equal(walkthrough.id, 'hooklens.gettingStarted');
    assert.ok(walkthrough.title && walkthrough.description);
    assert.deepEqual(
      walkthrough.steps.map((step) => step.id),
      ['startReceiver', 'sendTestEvent', 'setSecret', 'forward', 'replayAndGenerate'],
    );
  });

  for (const walkthrough of walkthroughs) {
    for (const step of walkthrough.steps) {
      describe(`step ${step.id}`, () => {
        it('links only commands HookLens contributes, at least one', () => {
          const links = [
            ...commandLinks(step.description),
            ...(step.media.markdown
              ? commandLinks(readFileSync(join(ROOT, step.media.markdown), 'utf8'))
              : []),
          ];
          assert.ok(links.length > 0, `${step.id} has a command link`);
          for (const command of links) {
            assert.match(command, /^hooklens\./, `${command} is a HookLens command`);
            assert.ok(contributed.has(command), `${command} is in contributes.commands`);
          }
        });

        it('has media that exists under media/walkthrough/, with alt text for images', () => {
          const files = mediaFiles(step);
          assert.ok(files.length > 0, `${step.id} has media`);
          for (const file of files) {
            assert.match(file, /^media\/walkthrough\//);
            assert.ok(existsSync(join(ROOT, file)), `${file} exists`);
            // Packaged: .vscodeignore ships media/** only.
          }
          if (step.media.svg || step.media.image) assert.ok(step.media.altText, 'alt text');
          if (step.media.svg) {
            const svg = readFileSync(join(ROOT, step.media.svg), 'utf8');
            assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
            assert.match(svg, /<title[ >]/, 'the SVG names itself');
            assert.match(svg, /fill="var\(--vscode-/, 'the SVG follows the theme');
            // The walkthrough's webview CSP drops <style> and style="": colours are attributes.
            assert.doesNotMatch(svg, /<style|style="/);
            assert.doesNotMatch(svg, /<script|href="(?:https?|javascript):/i);
          }
        });

        it('ticks itself off on an event that can happen', () => {
          const events = step.completionEvents ?? [];
          assert.ok(events.length > 0, `${step.id} has completion events`);
          const contextKeys = contextKeysSet();
          for (const event of events) {
            const [kind, value] = event.split(/:(.*)/s) as [string, string];
            if (kind === 'onCommand') assert.ok(contributed.has(value), `${value} is contributed`);
            else if (kind === 'onContext') {
              assert.ok(contextKeys.has(value), `HookLens sets the context key ${value}`);
            } else if (kind === 'onSettingChanged') {
              assert.ok(settings.has(value), `${value} is a HookLens setting`);
            } else assert.fail(`unexpected completion event ${event}`);
          }
        });
      });
    }
  }
});
