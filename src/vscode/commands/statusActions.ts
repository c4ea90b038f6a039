// The status bar item's quick pick, decided without vscode (unit-tested in
// test/unit/editorDecisions.test.ts): which actions, what each says of the state, which is first.
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

export function statusActions(state: StatusActionState): StatusAction[] {
  const running = state.listeningUrl !== undefined;
  const receiver: StatusAction[] = running
    ? [
        {
          label: '$(debug-stop) Stop Receiver',
          description: state.listeningUrl,
          command: 'hooklens.stopReceiver',
        },
      ]
    : state.readOnly
      ? []
      : [{ label: '$(play) Start Receiver', command: 'hooklens.startReceiver' }];
  return [
    ...receiver,
    {
      label: '$(copy) Copy Receiver URL',
      ...(running ? { description: state.listeningUrl } : {}),
      command: 'hooklens.copyUrl',
      active: true,
    },
    {
      label: '$(globe) Copy Public URL',
      detail: 'For senders in the cloud, such as Watson',
      command: 'hooklens.copyPublicUrl',
    },
    {
      label: '$(key) Set Secret…',
      description:
        state.signingSecrets === 0
          ? 'no secret: deliveries are not verified'
          : `${state.signingSecrets === 1 ? 'a secret is' : 'secrets are'} set for ${state.verifying}`,
      command: 'hooklens.setSecret',
    },
    {
      label: '$(terminal) Copy Tail Command',
      detail: 'Follow deliveries live in a terminal with the HookLens CLI this extension ships',
      command: 'hooklens.copyTailCommand',
    },
    state.storeKind === 'team'
      ? {
          label: '$(debug-disconnect) Disconnect from Team Store',
          detail: 'Forget the connection URL and show the local store again',
          command: 'hooklens.disconnectTeamStore',
        }
      : {
          label: '$(database) Connect to Team Store…',
          detail: 'Follow and replay the deliveries your team’s receivers store in PostgreSQL',
          command: 'hooklens.connectTeamStore',
        },
    { label: '$(pulse) Show Delivery Health', command: 'hooklens.showHealth' },
    { label: '$(output) Show Logs', command: 'hooklens.showLogs' },
    { label: '$(gear) Open Settings', command: 'hooklens.openSettings' },
  ];
}
