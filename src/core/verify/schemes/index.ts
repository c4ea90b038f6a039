// The verification schemes, by id. Adding a scheme is one file beside this one and a line here.
import type { VerificationScheme } from '../scheme';
import { calendlyScheme } from './calendly';
import { discordScheme } from './discord';
import { genericHmacScheme } from './genericHmac';
import { hubSignatureScheme } from './hubSignature';
import { jwtScheme } from './jwt';
import { linearScheme } from './linear';
import { muxScheme } from './mux';
import { paddleScheme } from './paddle';
import { sendgridScheme } from './sendgrid';
import { gitlabTokenScheme } from './sharedToken';
import { shopifyScheme } from './shopify';
import { slackScheme } from './slack';
import { squareScheme } from './square';
import { standardWebhooksScheme } from './standardWebhooks';
import { stripeScheme } from './stripe';
import { twilioScheme } from './twilio';
import { twitchScheme } from './twitch';
import { typeformScheme } from './typeform';
import { vercelScheme } from './vercel';
import { zoomScheme } from './zoom';

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
  paddleScheme,
  squareScheme,
  linearScheme,
  zoomScheme,
  twitchScheme,
  typeformScheme,
  vercelScheme,
  sendgridScheme,
  muxScheme,
  calendlyScheme,
  genericHmacScheme,
];

const BY_ID = new Map(SCHEMES.map((scheme) => [scheme.id, scheme]));

export function schemeById(id: string): VerificationScheme | undefined {
  return BY_ID.get(id);
}

export function allSchemes(): readonly VerificationScheme[] {
  return SCHEMES;
}
