import * as vscode from 'vscode';
import { DisposableOwner } from '../dispose';
import type { ResponseDocument } from './responseText';

export const RESPONSE_SCHEME = 'hooklens-response';

/**
 * One document for every replay: the tab is reused, as REST Client reuses its response tab. Its
 * path is the tab's title, so it is translated (once, when first needed).
 */
let responseUri: vscode.Uri | undefined;
function theResponseUri(): vscode.Uri {
  responseUri ??= vscode.Uri.from({
    scheme: RESPONSE_SCHEME,
    path: `/${vscode.l10n.t('Replay Response')}`,
  });
  return responseUri;
}

/**
 * The handler's answer to the last replay or edited send, as a read-only document opened beside
 * the editor (the focus stays where the replay was started, so Send Again's key still applies
 * there). Its first line carries Send Again and, after a replay to a typed URL, Use as Forward
 * Target.
 */
export class ReplayResponseView
  extends DisposableOwner
  implements vscode.TextDocumentContentProvider, vscode.CodeLensProvider
{
  private content = '';
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private readonly lensesChanged = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  /** The URL the last replay was sent to when the user typed or picked it (not a setting). */
  private typedTarget: URL | undefined;

  constructor(private readonly isForwardTarget: (url: URL) => boolean) {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(RESPONSE_SCHEME, this));
    this.register(vscode.languages.registerCodeLensProvider({ scheme: RESPONSE_SCHEME }, this));
  }

  provideTextDocumentContent(): string {
    return this.content;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (document.uri.toString() !== theResponseUri().toString() || this.content === '') return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const typed = this.typedTarget;
    return [
      new vscode.CodeLens(top, {
        title: vscode.l10n.t('$(refresh) Send Again'),
        command: 'hooklens.sendAgain',
      }),
      ...(typed && !this.isForwardTarget(typed)
        ? [
            new vscode.CodeLens(top, {
              title: vscode.l10n.t('$(arrow-right) Use {0} as Forward Target', typed.host),
              tooltip: vscode.l10n.t(
                'Set hooklens.forwardTo to {0}: live deliveries are sent on to it',
                typed.href,
              ),
              command: 'hooklens.useAsForwardTarget',
            }),
          ]
        : []),
    ];
  }

  /** The typed URL the last replay went to, for Use as Forward Target. */
  get lastTypedTarget(): URL | undefined {
    return this.typedTarget;
  }

  /** The forward target changed: the lens offering to make it one may have to go. */
  refreshLenses(): void {
    this.lensesChanged.fire();
  }

  /** Shows `document` in the response tab: the open one, else a new one beside the editor. */
  async show(document: ResponseDocument, typedTarget: URL | undefined): Promise<void> {
    this.content = document.text;
    this.typedTarget = typedTarget;
    const uri = theResponseUri();
    this.changed.fire(uri);
    this.lensesChanged.fire();
    let text = await vscode.workspace.openTextDocument(uri);
    if (text.languageId !== document.language) {
      text = await vscode.languages.setTextDocumentLanguage(text, document.language);
    }
    await vscode.window.showTextDocument(text, {
      viewColumn: openColumn() ?? vscode.ViewColumn.Beside,
      preserveFocus: true,
      preview: false,
    });
  }
}

/** The editor group already showing the response tab, if any. */
function openColumn(): vscode.ViewColumn | undefined {
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (
        tab.input instanceof vscode.TabInputText &&
        tab.input.uri.toString() === theResponseUri().toString()
      ) {
        return group.viewColumn;
      }
    }
  }
  return undefined;
}
