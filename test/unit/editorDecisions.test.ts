// The editor layer's pure decisions: what a settings change asks of the receiver, the status
// item's quick pick, and the tail command Copy Tail Command gives (the CLI the extension ships).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statusActions, type StatusActionState } from '../../src/vscode/commands/statusActions';
import { planSettingsChange } from '../../src/vscode/settingsPlan';
import { tailCommand } from '../../src/vscode/store/storeStatus';
import { english, type L10n } from '../../src/vscode/translation';

/** What ConfigurationChangeEvent.affectsConfiguration answers when `changed` were changed. */
function affects(...changed: string[]): (section: string) => boolean {
  return (section) => changed.some((key) => key === section || key.startsWith(`${section}.`));
}

describe('planSettingsChange', () => {
  it('ignores settings that are not HookLens settings', () => {
    assert.equal(planSettingsChange(affects('editor.fontSize')), undefined);
  });

  it('restarts the receiver for listen settings', () => {
    for (const key of ['port', 'host', 'allowNonLoopbackHost', 'allowedHosts', 'maxBodySize']) {
      assert.deepEqual(planSettingsChange(affects(`hooklens.${key}`)), {
        regroup: false,
        receiver: 'restart',
      });
    }
  });

  it('applies pipeline settings to the next delivery without a restart', () => {
    for (const key of [
      'hooklens.verification.policy',
      'hooklens.generic.eventPointer',
      'hooklens.forwardTo',
      'hooklens.forward.retries',
      'hooklens.routes',
      'hooklens.publicBaseUrl',
      'hooklens.genericHmac',
    ]) {
      assert.deepEqual(planSettingsChange(affects(key)), {
        regroup: false,
        receiver: 'apply-pipeline',
      });
    }
  });

  it('switches the store for hooklens.store.location, which wins over a restart', () => {
    assert.deepEqual(planSettingsChange(affects('hooklens.store.location', 'hooklens.port')), {
      regroup: false,
      receiver: 'switch-store',
    });
  });

  it('a restart wins over applying the pipeline (the restart reads it anyway)', () => {
    assert.deepEqual(planSettingsChange(affects('hooklens.port', 'hooklens.forwardTo')), {
      regroup: false,
      receiver: 'restart',
    });
  });

  it('regroups the tree for groupBy and leaves the receiver alone for display settings', () => {
    assert.deepEqual(planSettingsChange(affects('hooklens.deliveries.groupBy')), {
      regroup: true,
      receiver: 'none',
    });
    assert.deepEqual(planSettingsChange(affects('hooklens.compare.maskVolatileFields')), {
      regroup: false,
      receiver: 'none',
    });
    assert.deepEqual(
      planSettingsChange(affects('hooklens.deliveries.groupBy', 'hooklens.forwardTo')),
      { regroup: true, receiver: 'apply-pipeline' },
    );
  });
});

describe('statusActions', () => {
  const stopped: StatusActionState = {
    listeningUrl: undefined,
    signingSecrets: 0,
    verifying: '',
    storeKind: 'local',
    readOnly: false,
  };
  const commands = (state: StatusActionState): string[] =>
    statusActions(state, english).map((action) => action.command);

  it('starts on Copy Receiver URL, never on Stop Receiver', () => {
    const listening = { ...stopped, listeningUrl: 'http://127.0.0.1:7878/' };
    const active = statusActions(listening, english).filter((action) => action.active);
    assert.deepEqual(
      active.map((action) => action.command),
      ['hooklens.copyUrl'],
    );
    assert.equal(active[0]?.description, 'http://127.0.0.1:7878/');
  });

  it('offers Start while stopped and Stop with the URL while listening', () => {
    assert.equal(commands(stopped)[0], 'hooklens.startReceiver');
    assert.ok(!commands(stopped).includes('hooklens.stopReceiver'));
    const listening = statusActions(
      { ...stopped, listeningUrl: 'http://127.0.0.1:7878/' },
      english,
    );
    assert.deepEqual(listening[0], {
      label: '$(debug-stop) Stop Receiver',
      description: 'http://127.0.0.1:7878/',
      command: 'hooklens.stopReceiver',
    });
  });

  it('offers no Start on a store this window may only read', () => {
    const actions = commands({ ...stopped, storeKind: 'team', readOnly: true });
    assert.ok(!actions.includes('hooklens.startReceiver'));
    assert.ok(actions.includes('hooklens.disconnectTeamStore'));
    assert.ok(!actions.includes('hooklens.connectTeamStore'));
  });

  it('says in Set Secret… whether deliveries are verified, and for whom', () => {
    const secretOf = (state: StatusActionState): string | undefined =>
      statusActions(state, english).find((action) => action.command === 'hooklens.setSecret')
        ?.description;
    assert.equal(secretOf(stopped), 'no secret: deliveries are not verified');
    assert.equal(
      secretOf({ ...stopped, signingSecrets: 1, verifying: 'Stripe' }),
      'a secret is set for Stripe',
    );
    assert.equal(
      secretOf({ ...stopped, signingSecrets: 2, verifying: 'GitHub, Stripe' }),
      'secrets are set for GitHub, Stripe',
    );
  });

  it('says every label, description and detail in the language of the translation passed in', () => {
    // A stand-in for vscode.l10n with a bundle: what it translated is marked «…».
    const marked = {
      t: (message: string, ...args: string[]) => `«${english.t(message, ...args)}»`,
    } as L10n;
    for (const state of [stopped, { ...stopped, signingSecrets: 2, storeKind: 'team' as const }]) {
      for (const action of statusActions(state, marked)) {
        for (const text of [action.label, action.description, action.detail]) {
          if (text !== undefined) assert.match(text, /^«.+»$/);
        }
      }
    }
  });

  it('offers Connect to Team Store on the local store', () => {
    assert.ok(commands(stopped).includes('hooklens.connectTeamStore'));
  });
});

describe('tailCommand with the bundled CLI', () => {
  const cli = "node '/home/me/.vscode/extensions/hooklens.hooklens-0.1.0/dist/cli.js'";

  it('runs the dist/cli.js the extension ships, so no global install is needed', () => {
    assert.deepEqual(tailCommand('local', "'/store dir'", english, cli), {
      command: `${cli} tail --store '/store dir'`,
    });
  });

  it('names the team database by an environment variable, never by its URL', () => {
    const team = tailCommand('team', "'/store dir'", english, cli);
    assert.equal(team.command, `${cli} tail --database-env HOOKLENS_DATABASE_URL`);
    assert.match(team.note ?? '', /HOOKLENS_DATABASE_URL/);
  });
});
