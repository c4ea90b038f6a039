// CommandId (src/vscode/commandIds.ts) against package.json, both ways: every contributed command
// is a CommandId (so the composition root's table, typed over every CommandId, must register it),
// and every CommandId is contributed unless it is listed as internal. Menus, keybindings, welcome
// views and the walkthrough may only name HookLens commands that exist.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import {
  COMMAND_IDS,
  DELIVERY_COMMAND_IDS,
  INTERNAL_COMMAND_IDS,
  isCommandId,
} from '../../src/vscode/commandIds';
import { TREE_SELECTION_ARGUMENT } from '../../src/vscode/selection';

interface Manifest {
  activationEvents?: string[];
  contributes: {
    commands: { command: string; title: string; icon?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    keybindings?: { command: string; when?: string; args?: unknown }[];
    views?: Record<string, { id: string }[]>;
    viewsWelcome?: { contents: string }[];
    walkthroughs?: {
      steps: { description: string; completionEvents?: string[] }[];
    }[];
  };
}

const ROOT = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}
const contributed = manifest.contributes.commands.map((entry) => entry.command);

describe('CommandId and package.json', () => {
  it('lists each command once', () => {
    assert.equal(new Set(COMMAND_IDS).size, COMMAND_IDS.length);
    assert.equal(new Set(contributed).size, contributed.length, 'contributes.commands repeats one');
  });

  it('every contributed command is a CommandId (and so registered)', () => {
    const unknown = contributed.filter((id) => !isCommandId(id));
    assert.deepEqual(unknown, [], 'contributed but not in COMMAND_IDS');
  });

  it('every CommandId is contributed or deliberately internal', () => {
    const internal = new Set<string>(INTERNAL_COMMAND_IDS);
    const missing = COMMAND_IDS.filter((id) => !internal.has(id) && !contributed.includes(id));
    assert.deepEqual(missing, [], 'in COMMAND_IDS but not contributed nor internal');
    const contributedInternal = INTERNAL_COMMAND_IDS.filter((id) => contributed.includes(id));
    assert.deepEqual(contributedInternal, [], 'internal commands must not be contributed');
  });

  it('menus and keybindings name only HookLens commands that exist', () => {
    const named = [
      ...Object.values(manifest.contributes.menus).flatMap((items) =>
        items.map((item) => item.command),
      ),
      ...(manifest.contributes.keybindings ?? []).map((binding) => binding.command),
    ];
    // VS Code makes `<view id>.focus` for every contributed view (the Deliveries view's key).
    const viewFocus = new Set(
      Object.values(manifest.contributes.views ?? {}).flatMap((views) =>
        views.map((view) => `${view.id}.focus`),
      ),
    );
    const unknown = named.filter(
      (id) => id.startsWith('hooklens.') && !isCommandId(id) && !viewFocus.has(id),
    );
    assert.deepEqual(unknown, []);
  });

  it('src/vscode runs and links only HookLens commands that exist', () => {
    const viewFocus = new Set(
      Object.values(manifest.contributes.views ?? {}).flatMap((views) =>
        views.map((view) => `${view.id}.focus`),
      ),
    );
    // Where a command id is written as text: a command link, an item's command, a call.
    const pattern =
      /(?:command:\s*|\.command\s*=\s*|executeCommand\(\s*|registerCommand\(\s*|\[\s*)'(hooklens\.[\w.]+)'/g;
    const found: string[] = [];
    const unknown: string[] = [];
    for (const file of sourceFiles(join(ROOT, 'src', 'vscode'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(pattern)) {
        const id = match[1] as string;
        found.push(id);
        if (!isCommandId(id) && !viewFocus.has(id)) unknown.push(`${relative(ROOT, file)}: ${id}`);
      }
    }
    assert.ok(found.length > 10, `found ${found.length} command ids`);
    assert.deepEqual(unknown, []);
  });

  it("the tree's keybindings for delivery commands pass the tree-selection argument", () => {
    const inTree = (manifest.contributes.keybindings ?? []).filter(
      (binding) =>
        (DELIVERY_COMMAND_IDS as readonly string[]).includes(binding.command) &&
        (binding.when ?? '').includes('focusedView == hooklens.deliveries'),
    );
    assert.ok(inTree.length > 0, 'the Delete key at least');
    for (const binding of inTree) {
      // Without it the command would act on the active panel's delivery, not the tree's rows.
      assert.deepEqual(binding.args, TREE_SELECTION_ARGUMENT, binding.command);
      assert.doesNotMatch(
        binding.when ?? '',
        /\|\|/,
        `${binding.command}: split tree and panel keys`,
      );
    }
  });

  it('welcome views and walkthrough steps link only to HookLens commands that exist', () => {
    const texts = [
      ...(manifest.contributes.viewsWelcome ?? []).map((entry) => entry.contents),
      ...(manifest.contributes.walkthroughs ?? []).flatMap((walkthrough) =>
        walkthrough.steps.flatMap((step) => [step.description, ...(step.completionEvents ?? [])]),
      ),
    ];
    const linked = texts.flatMap((text) =>
      [...text.matchAll(/(?:command|onCommand):(hooklens\.[A-Za-z]+)/g)].map((match) => match[1]),
    );
    assert.ok(linked.length > 0, 'the welcome views link to commands');
    assert.deepEqual(
      linked.filter((id) => !isCommandId(id)),
      [],
    );
  });

  it('lists only the activation events it needs', () => {
    // onStartupFinished: hooklens.autoStart starts the receiver with VS Code (the store itself
    // opens only when the view is shown, a command runs, or autoStart is on). The serializer's
    // event restores a detail panel after a reload. onView and onCommand are implicit from
    // contributes (VS Code 1.74+), as are the walkthrough's and the language-model tools'.
    assert.deepEqual([...(manifest.activationEvents ?? [])].sort(), [
      'onStartupFinished',
      'onWebviewPanel:hooklens.delivery',
    ]);
  });
});
