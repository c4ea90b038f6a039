// The verification schemes, by id. Adding a scheme is one file beside this one and a line here.
import type { VerificationScheme } from '../scheme';
import { discordScheme } from './discord';
import { genericHmacScheme } from './genericHmac';
import { hubSignatureScheme } from './hubSignature';
import { jwtScheme } from './jwt';
import { gitlabTokenScheme } from './sharedToken';
import { shopifyScheme } from './shopify';
import { slackScheme } from './slack';
import { standardWebhooksScheme } from './standardWebhooks';
import { stripeScheme } from './stripe';
import { twilioScheme } from './twilio';

const SCHEMES: readonly VerificationScheme[] = [
  jwtScheme,
  stripeScheme,
  standardWebhooksScheme,
  hubSignatureScheme,
  shopifyScheme,
  slackScheme,
  twilioScheme,
  gitlabTokenScheme,
  discordScheme,
  genericHmacScheme,
];

const BY_ID = new Map(SCHEMES.map((scheme) => [scheme.id, scheme]));

export function schemeById(id: string): VerificationScheme | undefined {
  return BY_ID.get(id);
}

export function allSchemes(): readonly VerificationScheme[] {
  return SCHEMES;
}
