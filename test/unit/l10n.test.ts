// Localisation (issue 16 item 9). What the user reads in the editor goes through vscode.l10n.t in
// src/vscode, and through @vscode/l10n's l10n.t in src/core, src/shared and the webview pages
// (webview-ui), which cannot import vscode: the extension configures that one with
// vscode.l10n.bundle at activation (sharedL10n.ts), each page with the bundle the host writes into
// it (webviewShell.ts), and the CLI leaves it unconfigured, so English. The English messages of
// both are the keys of l10n/bundle.l10n.json (extracted by @vscode/l10n-dev from the four
// directories, EXTRACTED_DIRS), and l10n/bundle.l10n.de.json translates every one of them. Lines
// written to the output channel stay English on purpose: they are read in bug reports.
//
// 1. A hard-coded user-facing string anywhere in src/vscode fails: every .ts file there is parsed
//    with the TypeScript compiler API and string or template literals with words in them are
//    flagged where the user reads them (see findHardCoded). A literal that is deliberately the same
//    in every language (a rule's syntax, the product's name) says so in a comment just above it
//    containing "Not translated". Plain logic there that is unit-tested without vscode
//    (store/storeStatus.ts, commands/statusActions.ts, replay/responseText.ts) phrases its
//    sentences with the vscode.l10n its callers pass in (translation.ts); it imports vscode's types
//    only, which is also how @vscode/l10n-dev finds its messages.
// 2. The bundle cannot go stale: it is extracted again from the code and compared, and the German
//    bundle has exactly its keys, with the same placeholders and codicons.
//
// What src/core, src/shared and the pages say is translated through @vscode/l10n (rows, groups,
// outcomes, verdicts, Filter suggestions and mistakes, the body-search note, the Health charts, the
// detail panel with its provider summaries, and the Health page), and l10nShared.test.ts renders
// it with the German bundle. Still English there, on purpose: a delivery's headline (computed at
// capture and stored with it, core/detail/headline.ts) and the scheme tables a verification
// recorded (stored with the delivery); payload-derived text (event names, URLs, JSON keys) is
// data, never translated.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { getL10nJson } from '@vscode/l10n-dev';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const SOURCE_DIR = join(ROOT, 'src', 'vscode');
/** Where l10n.t calls are extracted from, in the order the bundle lists their messages. */
const EXTRACTED_DIRS = ['src/vscode', 'src/core', 'src/shared', 'webview-ui/src'] as const;
/** Regenerates l10n/bundle.l10n.json from them. */
const EXPORT_COMMAND = `npx @vscode/l10n-dev export --outDir ./l10n ${EXTRACTED_DIRS.map((dir) => `./${dir}`).join(' ')}`;

/** Calls of vscode.window whose string arguments are shown as they are. */
const WINDOW_CALLS = new Set([
  'showInformationMessage',
  'showWarningMessage',
  'showErrorMessage',
  'showQuickPick',
  'showInputBox',
  'setStatusBarMessage',
  'withProgress',
  'createWebviewPanel',
  'createTreeView',
]);

/** Properties the user reads: of quick picks, input boxes, dialogs, progress, items and views. */
const SHOWN_PROPERTIES = new Set([
  'title',
  'openLabel',
  'saveLabel',
  'placeHolder',
  'placeholder',
  'prompt',
  'label',
  'description',
  'detail',
  'tooltip',
  'text',
  'name',
  'message',
  'validationMessage',
]);

export interface HardCoded {
  readonly line: number;
  readonly text: string;
}

/** Words, once codicons such as $(key) are left out: "—" or "{0} · {1}" is not text to translate. */
function hasWords(text: string): boolean {
  return /[A-Za-z]{2,}/.test(text.replace(/\$\([a-z0-9~-]+\)/g, ''));
}

/** The literal text of a string or template literal (substitutions left out), else undefined. */
function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' ');
  }
  return undefined;
}

/** Whether `expression` is `vscode.window.NAME` or `window.NAME` with NAME in WINDOW_CALLS. */
function isWindowCall(expression: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(expression)) return false;
  if (!WINDOW_CALLS.has(expression.name.text)) return false;
  const owner = expression.expression;
  return (
    (ts.isIdentifier(owner) && owner.text === 'window') ||
    (ts.isPropertyAccessExpression(owner) && owner.name.text === 'window')
  );
}

/**
 * The hard-coded user-facing strings in `source`: literals with words that are passed to the
 * vscode.window message, quick pick, input box, progress, status-bar and view APIs; the values of
 * shown properties (title, placeHolder, prompt, label, description, detail, tooltip, text, name,
 * message) in object literals and assignments; what validateInput returns; and the labels of
 * `new vscode.TreeItem`. A literal is followed through parentheses, `? :`, `??`, `||` and arrays.
 */
export function findHardCoded(source: string, fileName = 'source.ts'): HardCoded[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const lines = source.split('\n');
  const found: HardCoded[] = [];
  const seen = new Set<ts.Node>();

  const exempt = (node: ts.Node): boolean => {
    const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
    // The line itself or the two above it, for a comment before a property or an argument.
    return lines
      .slice(Math.max(0, line - 2), line + 1)
      .some((text) => /not translated/i.test(text));
  };

  /** Reports the literals `node` evaluates to (through the shapes above). */
  const check = (node: ts.Node | undefined): void => {
    if (node === undefined || seen.has(node)) return;
    seen.add(node);
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node))
      return check(node.expression);
    if (ts.isConditionalExpression(node)) {
      check(node.whenTrue);
      check(node.whenFalse);
      return;
    }
    if (
      ts.isBinaryExpression(node) &&
      (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
        node.operatorToken.kind === ts.SyntaxKind.BarBarToken)
    ) {
      check(node.left);
      check(node.right);
      return;
    }
    if (ts.isArrayLiteralExpression(node)) {
      for (const element of node.elements) check(element);
      return;
    }
    if (ts.isObjectLiteralExpression(node)) {
      for (const property of node.properties) {
        if (ts.isPropertyAssignment(property) && SHOWN_PROPERTIES.has(propertyName(property))) {
          check(property.initializer);
        }
      }
      return;
    }
    const text = literalText(node);
    if (text !== undefined && hasWords(text) && !exempt(node)) {
      found.push({
        line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1,
        text: node.getText(file),
      });
    }
  };

  const checkReturns = (fn: ts.Node): void => {
    if (ts.isArrowFunction(fn) && !ts.isBlock(fn.body)) return check(fn.body);
    const visitReturns = (node: ts.Node): void => {
      if (ts.isReturnStatement(node)) check(node.expression);
      // Returns of functions nested inside belong to those functions.
      if (!ts.isFunctionLike(node)) ts.forEachChild(node, visitReturns);
    };
    if (ts.isFunctionLike(fn)) ts.forEachChild(fn, visitReturns);
  };

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isWindowCall(node.expression)) {
      for (const argument of node.arguments) check(argument);
    }
    if (ts.isNewExpression(node)) {
      const callee = node.expression.getText(file);
      if (callee === 'vscode.TreeItem' || callee === 'TreeItem') check(node.arguments?.[0]);
    }
    if (ts.isPropertyAssignment(node)) {
      const name = propertyName(node);
      if (SHOWN_PROPERTIES.has(name)) check(node.initializer);
      if (name === 'validateInput') checkReturns(node.initializer);
    }
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      SHOWN_PROPERTIES.has(node.left.name.text)
    ) {
      check(node.right);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found.sort((a, b) => a.line - b.line);
}

function propertyName(property: ts.PropertyAssignment): string {
  const name = property.name;
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : '';
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? sourceFiles(join(dir, entry.name))
        : entry.name.endsWith('.ts')
          ? [join(dir, entry.name)]
          : [],
    )
    .sort();
}

/** `{0}`, `{name}` and `$(codicon)` in a message, sorted: a translation must keep them all. */
function tokens(message: string): string[] {
  return [...message.matchAll(/\{[^}]+\}|\$\([a-z0-9~-]+\)/g)].map((match) => match[0]).sort();
}

/**
 * Labels that are the same word in German; any other message must be translated. Most are the
 * provider summaries' field names German developers use as they are (git's, GitHub's, Slack's).
 */
const SAME_IN_GERMAN = new Set([
  '$(account) Global',
  'App',
  'Bot',
  'Branch',
  'Branches',
  'Commit',
  'Commits',
  'Details',
  'Domain',
  'Global',
  'ID',
  'Issue',
  'Labels',
  'Link',
  'Name',
  'Option {0}',
  'Ping',
  'Push',
  'Ref',
  'Release',
  'Repository',
  'Route',
  'Route: {0}',
  'Shop',
  'Status',
  'Tag',
  'Team',
  'Text',
  'Thread',
  'Token',
  'Zen',
]);

function readJson(path: string): Record<string, string> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
}

describe('localisation', () => {
  it('finds hard-coded strings in each place the user reads them, and passes translated ones', () => {
    const sample = [
      "import * as vscode from 'vscode';",
      "void vscode.window.showInformationMessage('Saved the secret.');",
      "void vscode.window.showWarningMessage(vscode.l10n.t('Remove {0}?', x), { modal: true, detail: 'Gone for good.' }, 'Remove');",
      'void vscode.window.setStatusBarMessage(`$(key) HookLens: ${name} saved`, 4000);',
      "void vscode.window.showQuickPick(items, { title: vscode.l10n.t('Pick'), placeHolder: ok ? 'Which one?' : vscode.l10n.t('Other') });",
      "void vscode.window.showInputBox({ prompt: vscode.l10n.t('Name'), validateInput: (t) => t === '' ? 'Give a name.' : undefined });",
      "pick.placeholder = 'Which sender?';",
      "const items = [{ label: '$(pass) Answer 200', detail: vscode.l10n.t('Take them.') }];",
      "const item = new vscode.TreeItem('No deliveries yet');",
      'void vscode.window.setStatusBarMessage(`${a} · ${b}`);',
      "const fine = { label: '$(check)', title: vscode.l10n.t('Fine') };",
      '// Not translated: the rule syntax.',
      "const syntax = { prompt: 'answer:STATUS[,delay=MS]' };",
      "log.info('Saved the secret (value not logged).');",
      "void vscode.window.showOpenDialog({ title: vscode.l10n.t('Import'), openLabel: 'Import' });",
    ].join('\n');
    assert.deepEqual(
      findHardCoded(sample).map((hit) => [hit.line, hit.text]),
      [
        [2, "'Saved the secret.'"],
        [3, "'Gone for good.'"],
        [3, "'Remove'"],
        [4, '`$(key) HookLens: ${name} saved`'],
        [5, "'Which one?'"],
        [6, "'Give a name.'"],
        [7, "'Which sender?'"],
        [8, "'$(pass) Answer 200'"],
        [9, "'No deliveries yet'"],
        [15, "'Import'"],
      ],
    );
  });

  it('has no hard-coded user-facing string anywhere in src/vscode', () => {
    const files = sourceFiles(SOURCE_DIR);
    assert.ok(files.includes(join(SOURCE_DIR, 'extension.ts')), 'src/vscode is walked');
    const problems = files.flatMap((file) => {
      const name = relative(ROOT, file).split('\\').join('/');
      return findHardCoded(readFileSync(file, 'utf8'), name).map(
        (hit) => `${name}:${hit.line}: ${hit.text}`,
      );
    });
    assert.deepEqual(
      problems,
      [],
      `Wrap these in vscode.l10n.t(...) (placeholders {0}, not concatenation), then run\n` +
        `${EXPORT_COMMAND} and translate the new keys in ` +
        `l10n/bundle.l10n.de.json:\n${problems.join('\n')}`,
    );
  });

  it('l10n/bundle.l10n.json holds exactly the messages of the vscode.l10n.t calls', async () => {
    const extracted = await getL10nJson(
      EXTRACTED_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir))).map((file) => ({
        contents: readFileSync(file, 'utf8'),
        extension: '.ts',
      })),
    );
    const bundle = readJson(join(ROOT, 'l10n', 'bundle.l10n.json'));
    const english = (value: unknown): string =>
      typeof value === 'string' ? value : (value as { message: string }).message;
    const wanted = Object.fromEntries(
      Object.entries(extracted).map(([key, value]) => [key, english(value)]),
    );
    assert.deepEqual(
      Object.fromEntries(Object.entries(bundle).map(([key, value]) => [key, english(value)])),
      wanted,
      `l10n/bundle.l10n.json is stale: run ${EXPORT_COMMAND}`,
    );
    assert.ok(Object.keys(wanted).length > 100, 'the localized files call vscode.l10n.t');
  });

  it('l10n/bundle.l10n.de.json translates every message, keeping placeholders and codicons', () => {
    const bundle = readJson(join(ROOT, 'l10n', 'bundle.l10n.json'));
    const german = readJson(join(ROOT, 'l10n', 'bundle.l10n.de.json'));
    assert.deepEqual(Object.keys(german).sort(), Object.keys(bundle).sort());
    for (const [key, translation] of Object.entries(german)) {
      assert.equal(typeof translation, 'string', key);
      assert.notEqual(translation.trim(), '', `empty German for ${key}`);
      assert.deepEqual(tokens(translation), tokens(key), `placeholders of ${key}`);
    }
    // Translated, not copied: only messages without words of their own may stay as they are,
    // and the few labels German writes the same way (as VS Code's German UI does: Status, Token).
    const copied = Object.entries(german)
      .filter(([key, translation]) => key === translation && !SAME_IN_GERMAN.has(key))
      .map(([key]) => key)
      .filter((key) => hasWords(key.replace(/\{[^}]+\}/g, '').replace(/HookLens/g, '')));
    assert.deepEqual(copied, []);
  });

  it('ships the bundles: package.json names l10n/ and .vscodeignore keeps it', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      l10n?: string;
    };
    assert.equal(manifest.l10n, './l10n');
    const ignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(ignore.includes('!l10n/**'), '.vscodeignore allows l10n/**');
  });
});
