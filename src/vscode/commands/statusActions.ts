// The status bar item's quick pick, decided without vscode at run time (unit-tested in
// test/unit/editorDecisions.test.ts): which actions, what each says of the state, which is first.
// Its words are phrased with the `l10n` the caller passes (vscode.l10n; see translation.ts).
import type * as vscode from 'vscode';
import type { CommandId } from '../commandIds';

export interface StatusActionState {
  /** The receiver's URL while it listens; undefined while it does not. */
  readonly listeningUrl: string | undefined;
  /** How many secrets sign deliveries (role `signing`), and for whom in words ("GitHub, Stripe"). */
  readonly signingSecrets: number;
  readonly verifying: string;
  readonly storeKind: 'local' | 'team';
  /** A store this window may only read: the receiver cannot be started here. */
  readonly readOnly: boolean;
}

export interface StatusAction {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly command: CommandId;
  /** The item the pick starts on (Enter copies the URL: the usual reason to click the item). */
  readonly active?: boolean;
}

export function statusActions(
  state: StatusActionState,
  l10n: Pick<typeof vscode.l10n, 't'>,
): StatusAction[] {
  const running = state.listeningUrl !== undefined;
  const receiver: StatusAction[] = running
    ? [
        {
          label: l10n.t('$(debug-stop) Stop Receiver'),
          description: state.listeningUrl,
          command: 'hooklens.stopReceiver',
        },
      ]
    : state.readOnly
      ? []
      : [{ label: l10n.t('$(play) Start Receiver'), command: 'hooklens.startReceiver' }];
  return [
    ...receiver,
    {
      label: l10n.t('$(copy) Copy Receiver URL'),
      ...(running ? { description: state.listeningUrl } : {}),
      command: 'hooklens.copyUrl',
      active: true,
    },
    {
      label: l10n.t('$(globe) Copy Public URL'),
      detail: l10n.t('For senders in the cloud, such as Watson'),
      command: 'hooklens.copyPublicUrl',
    },
    {
      label: l10n.t('$(key) Set Secret…'),
      description:
        state.signingSecrets === 0
          ? l10n.t('no secret: deliveries are not verified')
          : state.signingSecrets === 1
            ? l10n.t('a secret is set for {0}', state.verifying)
            : l10n.t('secrets are set for {0}', state.verifying),
      command: 'hooklens.setSecret',
    },
    {
      label: l10n.t('$(terminal) Copy Tail Command'),
      detail: l10n.t(
        'Follow deliveries live in a terminal with the HookLens CLI this extension ships',
      ),
      command: 'hooklens.copyTailCommand',
    },
    state.storeKind === 'team'
      ? {
          label: l10n.t('$(debug-disconnect) Disconnect from Team Store'),
          detail: l10n.t('Forget the connection URL and show the local store again'),
          command: 'hooklens.disconnectTeamStore',
        }
      : {
          label: l10n.t('$(database) Connect to Team Store…'),
          detail: l10n.t(
            'Follow and replay the deliveries your team’s receivers store in PostgreSQL',
          ),
          command: 'hooklens.connectTeamStore',
        },
    { label: l10n.t('$(pulse) Show Delivery Health'), command: 'hooklens.showHealth' },
    { label: l10n.t('$(output) Show Logs'), command: 'hooklens.showLogs' },
    { label: l10n.t('$(gear) Open Settings'), command: 'hooklens.openSettings' },
  ];
}
