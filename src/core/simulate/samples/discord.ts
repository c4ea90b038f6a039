// Discord interactions: the PING Discord sends when the Interactions Endpoint URL is saved (and
// answers `{"type":1}`). Discord signs with its private key (Ed25519), which only Discord has, so
// HookLens sends it unsigned, or with a throwaway key for a deliberately bad signature.
import { randomAlphanumeric, randomInRange, type RandomSource } from '../random';
import type { SampleDefinition, SampleRequest } from './sample';

/** The application: the developer's setup. */
const APPLICATION_ID = '1287654321098765432';
/** Discord's epoch (2015-01-01), the origin of snowflake ids. */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/** A snowflake made at `ms`: its top bits are the time, as Discord's ids are. */
function snowflake(ms: number, random: RandomSource): string {
  const time = BigInt(Math.max(0, Math.floor(ms))) - DISCORD_EPOCH_MS;
  return ((time << 22n) | BigInt(randomInRange(random, 0, 4_194_303))).toString();
}

const ping = (nowMs: number, random: RandomSource): SampleRequest => {
  const id = snowflake(nowMs, random);
  const body = {
    app_permissions: '562949953601536',
    application_id: APPLICATION_ID,
    attachment_size_limit: 524_288_000,
    entitlements: [],
    authorizing_integration_owners: {},
    id,
    token: Buffer.from(`interaction:${id}:${randomAlphanumeric(random, 40)}`).toString('base64url'),
    type: 1,
    user: {
      avatar: null,
      avatar_decoration_data: null,
      bot: true,
      clan: null,
      collectibles: null,
      discriminator: '0000',
      display_name_styles: null,
      global_name: 'Discord',
      id: '643945264868098049',
      primary_guild: null,
      public_flags: 1,
      system: true,
      username: 'discord',
    },
    version: 1,
  };
  return {
    headers: [
      ['Content-Type', 'application/json'],
      ['User-Agent', 'Discord-Interactions/1.0 (+https://discord.com)'],
      ['X-Discord-Locale', 'en-US'],
    ],
    body: JSON.stringify(body),
  };
};

export const DISCORD_SAMPLES: readonly SampleDefinition[] = [
  {
    name: 'discord.ping',
    description: 'Discord: the interactions endpoint PING (answered {"type":1}); Ed25519-signed',
    sender: 'discord',
    event: 'PING',
    path: '/webhooks/discord',
    auth: 'signed',
    build: ping,
  },
];
