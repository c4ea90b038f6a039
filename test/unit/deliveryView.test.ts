import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  endpointOf,
  groupDeliveries,
  matchesFilter,
  parseFilter,
} from '../../src/core/deliveries/deliveryView';
import type { DeliverySummary } from '../../src/core/store/types';
import { aSummary } from './builders';

function summary(id: string, overrides: Partial<DeliverySummary> = {}): DeliverySummary {
  return aSummary(id, { url: '/hook?x=1', sessionId: 'session-a', ...overrides });
}

describe('parseFilter and matchesFilter', () => {
  const verified = summary('d1');
  const rejected = summary('d2', {
    verdict: 'invalid_signature',
    status: 401,
    event: 'cdr_logged',
    sessionId: 'call-9',
  });

  it('matches free words against event, path, session and id (all words must match)', () => {
    assert.ok(matchesFilter(verified, parseFilter('message')));
    assert.ok(matchesFilter(verified, parseFilter('HOOK session-a')));
    assert.ok(!matchesFilter(verified, parseFilter('hook call-9')));
    assert.ok(matchesFilter(rejected, parseFilter('d2')));
  });

  it('narrows by event, verdict (including "failed") and status (exact or class)', () => {
    assert.ok(matchesFilter(rejected, parseFilter('event:cdr_logged')));
    assert.ok(!matchesFilter(verified, parseFilter('event:cdr_logged')));
    assert.ok(matchesFilter(rejected, parseFilter('verdict:failed')));
    assert.ok(!matchesFilter(verified, parseFilter('verdict:failed')));
    assert.ok(matchesFilter(rejected, parseFilter('status:4xx')));
    assert.ok(matchesFilter(rejected, parseFilter('status:401')));
    assert.ok(!matchesFilter(verified, parseFilter('status:4xx')));
    assert.ok(matchesFilter(summary('d3', { status: null }), parseFilter('status:none')));
  });

  it('treats repeated keys as "any of" and an empty filter as everything', () => {
    const filter = parseFilter('event:cdr_logged event:message_logged');
    assert.ok(matchesFilter(verified, filter) && matchesFilter(rejected, filter));
    assert.ok(matchesFilter(rejected, parseFilter('   ')));
  });
});

describe('groupDeliveries', () => {
  it('groups by session, event or endpoint, keeping newest-first order inside and between groups', () => {
    const list = [
      summary('n3', { sessionId: 'b', event: 'cdr_logged', url: '/calls?id=1' }),
      summary('n2', { sessionId: 'a' }),
      summary('n1', { sessionId: null }),
      summary('n0', { sessionId: 'b', url: '/calls' }),
    ];
    const bySession = groupDeliveries(list, 'session');
    assert.deepEqual(
      bySession.map((group) => group.label),
      ['b', 'a', '(no session)'],
    );
    assert.deepEqual(
      bySession[0]?.deliveries.map((d) => d.id),
      ['n3', 'n0'],
    );
    assert.deepEqual(
      groupDeliveries(list, 'event').map((group) => group.label),
      ['cdr_logged', 'message_logged'],
    );
    assert.deepEqual(
      groupDeliveries(list, 'endpoint').map((group) => group.label),
      ['POST /calls', 'POST /hook'],
    );
  });

  it('cannot be confused by sessions named like the placeholder groups', () => {
    const groups = groupDeliveries(
      [summary('x', { sessionId: 'none' }), summary('y', { sessionId: null })],
      'session',
    );
    assert.equal(groups.length, 2);
  });

  it('endpointOf drops the query string', () => {
    assert.equal(endpointOf('/a/b?c=d'), '/a/b');
    assert.equal(endpointOf('/a'), '/a');
  });
});
