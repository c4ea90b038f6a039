// The delivery every load benchmark posts: Watson's message_logged sample (webhook-senders.md
// §2.3, trimmed of its optional context blocks), compact as Watson sends it (about 1.3 KB), with a
// bare HS256 JWT in Authorization.
import { randomBytes } from 'node:crypto';
import { signToken } from '../../src/core/verify/sign';

const SESSION_ID = 'b263cb6f-0d62-4b01-a28e-1743ff54d28d';

export function watsonMessageLogged(logId = '5d3e2b9a-7c41-4f0e-9a77-0b6f3c2e8d11'): string {
  const system = {
    user_id: 'anon-8d2f4c',
    timezone: 'America/New_York',
    session_start_time: '2025-05-14T15:02:11.120Z',
  };
  return JSON.stringify({
    event: { name: 'message_logged' },
    payload: {
      log_id: logId,
      request: {
        input: { message_type: 'text', text: 'What is my checking balance?' },
        context: { global: { session_id: SESSION_ID } },
      },
      response: {
        output: {
          intents: [{ intent: 'check_balance', confidence: 0.9412, skill: 'actions skill' }],
          entities: [
            { entity: 'account_type', location: [15, 23], value: 'checking', confidence: 1 },
          ],
          generic: [
            { response_type: 'text', text: 'Your checking balance is $1,250.00.' },
            {
              response_type: 'option',
              title: 'Anything else?',
              options: [
                { label: 'Transfer money', value: { input: { text: 'Transfer money' } } },
                { label: 'No, thanks', value: { input: { text: 'No, thanks' } } },
              ],
            },
          ],
        },
        context: {
          global: {
            system: { ...system, turn_count: 3, state: 'eyJjb252ZXJzYXRpb25fc3RhdGUiOi4uLn0=' },
            session_id: SESSION_ID,
          },
          skills: {
            'actions skill': { system: { state: 'eyJhY3Rpb25zIjouLi59' } },
          },
        },
      },
      assistant_id: '97f16ba4-ad94-41af-aa6c-33cd56ad5e7e',
      session_id: SESSION_ID,
      skill_id: '1b7c4d52-3f0e-4a2a-8f7e-6a3c9d0e5b21',
      snapshot: 'draft',
      request_timestamp: '2025-05-14T15:03:02.511Z',
      response_timestamp: '2025-05-14T15:03:02.874Z',
      language: 'en',
    },
  });
}

export interface SignedDelivery {
  /** The secret the receiver must hold (HOOKLENS_SECRET). */
  readonly secret: string;
  readonly body: string;
  readonly headers: Record<string, string>;
}

/**
 * A message_logged delivery signed as Watson signs it (the bare token, no `Bearer`). The token
 * lives a day, so it stays valid for however long the benchmark runs.
 */
export function signedWatsonDelivery(secret = randomBytes(24).toString('hex')): SignedDelivery {
  const token = signToken(secret, { sub: 'watson' }, { expiresInSeconds: 24 * 60 * 60 });
  return {
    secret,
    body: watsonMessageLogged(),
    headers: { 'Content-Type': 'application/json', Authorization: token },
  };
}
