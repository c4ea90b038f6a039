// Slack Events API: an `event_callback` carrying a channel message, and the `url_verification`
// handshake Slack sends when the Request URL is saved. Both are JSON, both signed `v0:{ts}:{body}`.
import {
  pick,
  randomAlphanumeric,
  randomDigits,
  randomInRange,
  randomUpperAlphanumeric,
  randomUuid,
  type RandomSource,
} from '../random';
import { unixSeconds, type SampleDefinition, type SampleRequest } from './sample';

// The workspace, the app and its channel: the developer's setup.
const TEAM = 'T061EG9R6';
const APP = 'A0MDYCDME';
const CHANNEL = 'C0LAN2Q65';
const BOT_USER = 'U0LAN0Z89';
/** The app's (deprecated) verification token, sent in every body. */
const VERIFICATION_TOKEN = 'Jhj5dZrVaK7ZwHHjRyZWjbDl';

const HEADERS: SampleRequest['headers'] = [
  ['Content-Type', 'application/json'],
  ['Accept', '*/*'],
  ['Accept-Encoding', 'gzip,deflate'],
  ['User-Agent', 'Slackbot 1.0 (+https://api.slack.com/robots)'],
];

const MESSAGES: readonly [string, ...string[]] = [
  'Is the staging deploy done?',
  'Can someone review the refund fix before lunch?',
  'The nightly export finished, numbers look right',
];

const message = (nowMs: number, random: RandomSource): SampleRequest => {
  const text = pick(random, MESSAGES);
  const ts = `${unixSeconds(nowMs) - 1}.${randomDigits(random, 6)}`;
  const user = `U0${randomUpperAlphanumeric(random, 9)}`;
  const body = {
    token: VERIFICATION_TOKEN,
    team_id: TEAM,
    context_team_id: TEAM,
    context_enterprise_id: null,
    api_app_id: APP,
    event: {
      user,
      type: 'message',
      ts,
      client_msg_id: randomUuid(random),
      text,
      team: TEAM,
      blocks: [
        {
          type: 'rich_text',
          block_id: randomAlphanumeric(random, 5),
          elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
        },
      ],
      channel: CHANNEL,
      event_ts: ts,
      channel_type: 'channel',
    },
    type: 'event_callback',
    event_id: `Ev0${randomUpperAlphanumeric(random, 8)}`,
    event_time: unixSeconds(nowMs) - 1,
    authorizations: [
      {
        enterprise_id: null,
        team_id: TEAM,
        user_id: BOT_USER,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(
      JSON.stringify({ et: 'message', tid: TEAM, aid: APP, cid: CHANNEL }),
    ).toString('base64url')}`,
  };
  return { headers: HEADERS, body: JSON.stringify(body) };
};

const urlVerification = (_nowMs: number, random: RandomSource): SampleRequest => ({
  headers: HEADERS,
  body: JSON.stringify({
    token: VERIFICATION_TOKEN,
    challenge: randomAlphanumeric(random, randomInRange(random, 48, 52)),
    type: 'url_verification',
  }),
});

export const SLACK_SAMPLES: readonly SampleDefinition[] = [
  {
    name: 'slack.message',
    description: 'Slack Events API: a message posted in a channel (event_callback)',
    sender: 'slack',
    event: 'message',
    path: '/webhooks/slack',
    auth: 'signed',
    build: message,
  },
  {
    name: 'slack.url_verification',
    description: 'Slack: the url_verification handshake (answered with its challenge)',
    sender: 'slack',
    event: 'url_verification',
    path: '/webhooks/slack',
    auth: 'signed',
    build: urlVerification,
  },
];
