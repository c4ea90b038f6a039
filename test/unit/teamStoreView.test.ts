// The editor on the team store (issue 18): how the store is said in the status bar and above the
// tree, what a read-only role may do, the not-recorded label, and that the password never shows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildDeliveryDetail } from '../../src/core/detail/deliveryDetail';
import {
  notRecordedLabel,
  receiverStartRefusal,
  storeBadge,
  storeLocationOf,
  storeNote,
  storeReadOnly,
  tailCommand,
  withoutPassword,
  writeRefusal,
  type StoreStatus,
} from '../../src/vscode/store/storeStatus';
import { english, type L10n } from '../../src/vscode/translation';
import { anAttempt } from './builders';
import { aSenderRecord, watsonMessageLogged } from './detailBuilders';

const LOCATION = 'team database hooklens on db.internal:5432 as hl_reader';

const writer: StoreStatus = {
  kind: 'team',
  phase: 'open',
  location: LOCATION,
  readOnlyReason: null,
  unreachable: null,
};
const reader: StoreStatus = {
  ...writer,
  readOnlyReason:
    'this database role may only read the team store (replays are sent but not recorded)',
};
const unreachable: StoreStatus = {
  ...writer,
  unreachable:
    'The team store is unreachable (the database refused the connection (is PostgreSQL running?)): deliveries are refused with 503 until it is back; HookLens reconnects by itself.',
};
const local: StoreStatus = {
  kind: 'local',
  phase: 'open',
  location: '/home/me/.vscode/store',
  readOnlyReason: null,
  unreachable: null,
};

describe('hooklens.store.location', () => {
  it('is local unless it says team, whatever a hand edit put there', () => {
    assert.equal(storeLocationOf('team'), 'team');
    for (const value of ['local', undefined, null, 'TEAM', 42, {}, ''])
      assert.equal(storeLocationOf(value), 'local');
  });
});

describe('the store in the status bar and above the tree', () => {
  it('the local store adds nothing', () => {
    assert.equal(storeBadge(local, english), undefined);
    assert.equal(storeNote(local, english), undefined);
  });

  it('the team store is always said; a reader role says read-only', () => {
    assert.deepEqual(storeBadge(writer, english), {
      text: '$(database) team',
      tooltip: `Following the ${LOCATION}.`,
      warning: false,
    });
    assert.equal(storeNote(writer, english), undefined);
    assert.equal(storeBadge(reader, english)?.text, '$(database) team (read-only)');
    assert.match(
      storeBadge(reader, english)?.tooltip ?? '',
      /read-only: this database role may only read/,
    );
    assert.match(
      storeNote(reader, english) ?? '',
      /read-only role: browse.*replay; replays are not recorded/,
    );
  });

  it('while the database is unreachable: "team store unreachable", keeping what is shown; back: gone', () => {
    const badge = storeBadge(unreachable, english);
    assert.equal(badge?.text, '$(warning) team store unreachable');
    assert.equal(badge?.warning, true);
    assert.match(badge?.tooltip ?? '', /refused the connection.*loaded before/);
    assert.match(
      storeNote(unreachable, english) ?? '',
      /^Team store unreachable: showing the deliveries loaded before/,
    );
    // Back again: the store's health is ok, so the status is the writer's again.
    assert.doesNotMatch(storeBadge(writer, english)?.text ?? '', /unreachable/);
    assert.equal(storeNote(writer, english), undefined);
  });

  it('an open that failed says so, and whether HookLens tries again', () => {
    const failed: StoreStatus = {
      kind: 'team',
      phase: 'failed',
      location: LOCATION,
      message: `Could not open the ${LOCATION}: the password was refused.`,
      retrying: false,
    };
    assert.equal(storeBadge(failed, english)?.text, '$(warning) team store unreachable');
    assert.equal(storeNote(failed, english), `Team store unreachable. ${failed.message}`);
    assert.match(
      storeNote({ ...failed, retrying: true }, english) ?? '',
      /tries again by itself\.$/,
    );
  });

  it('the team store chosen without a URL points at the Connect command', () => {
    const notConnected: StoreStatus = { kind: 'team', phase: 'not-connected' };
    // Said by the empty view's welcome, with a Connect button, which a message would hide.
    assert.equal(storeNote(notConnected, english), undefined);
    assert.equal(storeBadge(notConnected, english)?.text, '$(plug) team store not connected');
    assert.match(receiverStartRefusal(notConnected, english) ?? '', /Connect to Team Store/);
  });
});

describe('in the language of the translation passed in', () => {
  // A stand-in for vscode.l10n with a bundle: what it translated is marked «…».
  const marked = {
    t: (message: string, ...args: string[]) => `«${english.t(message, ...args)}»`,
  } as L10n;
  const translated = /^«.+»$/s;

  it('the badge, its tooltip and the note above the tree', () => {
    const opening: StoreStatus = { kind: 'team', phase: 'opening', location: LOCATION };
    const notConnected: StoreStatus = { kind: 'team', phase: 'not-connected' };
    const failed: StoreStatus = {
      kind: 'team',
      phase: 'failed',
      location: LOCATION,
      message: 'The password was refused.',
      retrying: true,
    };
    for (const status of [opening, notConnected, failed, writer, reader, unreachable]) {
      const badge = storeBadge(status, marked);
      assert.match(badge?.text ?? '', translated);
      assert.match(badge?.tooltip ?? '', translated);
      const note = storeNote(status, marked);
      if (note !== undefined) assert.match(note, translated);
    }
    // The placeholders are filled in inside the translated sentence.
    assert.match(
      storeBadge(reader, marked)?.tooltip ?? '',
      /^«Following the team database hooklens .*, read-only: this database role may only read .*\.»$/,
    );
  });

  it("the refusals, the not-recorded label and the tail command's note", () => {
    assert.match(writeRefusal(reader, 'delete', marked) ?? '', translated);
    assert.match(writeRefusal(reader, 'clear', marked) ?? '', translated);
    assert.match(receiverStartRefusal(reader, marked) ?? '', translated);
    assert.match(notRecordedLabel(reader, undefined, marked), translated);
    assert.match(tailCommand('team', "'/a b'", marked).note ?? '', translated);
  });
});

describe('what a read-only role may do', () => {
  it('delete and clear are refused with a sentence; a writer may', () => {
    assert.equal(storeReadOnly(reader), true);
    assert.equal(storeReadOnly(writer), false);
    assert.equal(storeReadOnly(unreachable), false);
    assert.match(
      writeRefusal(reader, 'delete', english) ?? '',
      /^Deliveries cannot be deleted from this window: this database role may only read/,
    );
    assert.match(writeRefusal(reader, 'clear', english) ?? '', /^Deliveries cannot be cleared/);
    assert.equal(writeRefusal(writer, 'delete', english), undefined);
    assert.equal(writeRefusal(local, 'clear', english), undefined);
  });

  it('the receiver says it cannot start, and that everything else works', () => {
    const refusal = receiverStartRefusal(reader, english) ?? '';
    assert.match(
      refusal,
      /^The receiver cannot start in this window: this database role may only read/,
    );
    assert.match(refusal, /browse, compare, export, generate and replay/);
    assert.equal(receiverStartRefusal(writer, english), undefined);
    assert.equal(receiverStartRefusal(local, english), undefined);
  });

  it('replays on a read-only store are labelled "not recorded (read-only store)"', () => {
    assert.equal(
      notRecordedLabel(reader, 'The team database … is read-only: …', english),
      'not recorded (read-only store)',
    );
    assert.equal(
      notRecordedLabel(writer, 'the delivery was deleted meanwhile', english),
      'not recorded: the delivery was deleted meanwhile',
    );
  });
});

describe('the connection URL never shows', () => {
  it('the password and the URL are replaced in any text', () => {
    const url = 'postgres://hl_writer:s3cr%40t-pw@db.internal:5432/hooklens?sslmode=require';
    assert.equal(
      withoutPassword(`connect to ${url} failed; password s3cr@t-pw and s3cr%40t-pw`, url),
      'connect to *** failed; password *** and ***',
    );
    assert.equal(withoutPassword('nothing secret here', url), 'nothing secret here');
    const inQuery = 'postgresql://db/hooklens?user=a&password=qpw123';
    assert.equal(withoutPassword('qpw123!', inQuery), '***!');
    assert.equal(withoutPassword('fine', 'not a url'), 'fine');
  });

  it('the tail command for the team store names a variable, never the URL', () => {
    assert.deepEqual(tailCommand('local', "'/a b'", english), {
      command: "hooklens tail --store '/a b'",
    });
    const team = tailCommand('team', "'/a b'", english);
    assert.equal(team.command, 'hooklens tail --database-env HOOKLENS_DATABASE_URL');
    assert.match(team.note ?? '', /Set HOOKLENS_DATABASE_URL/);
  });
});

describe('who replayed it, in the detail', () => {
  it("a team-store replay's `by` reaches the Attempts tab's data; a local one has none", () => {
    const record = aSenderRecord(watsonMessageLogged(), 'watson', 'message_logged', {
      attempts: [
        anAttempt(200, 4, { id: 'r1', by: 'alice@laptop' }),
        anAttempt(200, 4, { id: 'r2' }),
      ],
    });
    const detail = buildDeliveryDetail(record, { duplicateCount: 0, pinned: false });
    assert.equal(detail.attempts[0]?.by, 'alice@laptop');
    assert.equal('by' in (detail.attempts[1] ?? {}), false);
  });
});
