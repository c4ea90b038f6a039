// The built-in samples of the providers beyond Watson and Rapida (whose samples live in
// ../templates), in the order `hooklens send --list` shows them. A provider's samples are one
// file in this folder and a line here.
import { DISCORD_SAMPLES } from './discord';
import { GITHUB_SAMPLES } from './github';
import { GITLAB_SAMPLES } from './gitlab';
import { META_SAMPLES } from './meta';
import type { SampleDefinition } from './sample';
import { SHOPIFY_SAMPLES } from './shopify';
import { SLACK_SAMPLES } from './slack';
import { STANDARD_WEBHOOKS_SAMPLES } from './standardWebhooks';
import { STRIPE_SAMPLES } from './stripe';
import { TWILIO_SAMPLES } from './twilio';

export const PROVIDER_SAMPLES: readonly SampleDefinition[] = [
  ...GITHUB_SAMPLES,
  ...STRIPE_SAMPLES,
  ...STANDARD_WEBHOOKS_SAMPLES,
  ...SHOPIFY_SAMPLES,
  ...SLACK_SAMPLES,
  ...TWILIO_SAMPLES,
  ...GITLAB_SAMPLES,
  ...META_SAMPLES,
  ...DISCORD_SAMPLES,
];

/**
 * How a provider's deliveries travel when only their body is known (a JSON file sent with
 * `--provider`): its path and the headers its sender always sets, without signatures.
 */
export const PROVIDER_DEFAULT_HEADERS: Readonly<
  Record<string, ReadonlyArray<readonly [string, string]>>
> = {
  github: [
    ['Content-Type', 'application/json'],
    ['User-Agent', 'GitHub-Hookshot/1c3e4a1'],
  ],
  stripe: [
    ['Content-Type', 'application/json; charset=utf-8'],
    ['User-Agent', 'Stripe/1.0 (+https://stripe.com/docs/webhooks)'],
  ],
  'standard-webhooks': [
    ['Content-Type', 'application/json'],
    ['User-Agent', 'Svix-Webhooks/1.66.0'],
  ],
  shopify: [
    ['Content-Type', 'application/json'],
    ['User-Agent', 'Shopify-Captain-Hook'],
  ],
  slack: [
    ['Content-Type', 'application/json'],
    ['User-Agent', 'Slackbot 1.0 (+https://api.slack.com/robots)'],
  ],
  twilio: [
    ['Content-Type', 'application/json'],
    ['User-Agent', 'TwilioProxy/1.1'],
  ],
  gitlab: [
    ['Content-Type', 'application/json'],
    ['User-Agent', 'GitLab/18.1.0-pre'],
  ],
  meta: [
    ['Content-Type', 'application/json'],
    ['User-Agent', 'facebookexternalua'],
  ],
  discord: [
    ['Content-Type', 'application/json'],
    ['User-Agent', 'Discord-Interactions/1.0 (+https://discord.com)'],
  ],
};
