// The providers, in the order they are tried: those recognised by a header of their own first,
// then those recognised by the body, then the generic HMAC sender when configured, and finally
// the generic JSON webhook. Adding a provider is one file in this folder and a line here.
import { calendly } from './calendly';
import { discord } from './discord';
import { generic } from './generic';
import { genericHmac } from './genericHmac';
import { github } from './github';
import { gitlab } from './gitlab';
import { intercom } from './intercom';
import { linear } from './linear';
import { meta } from './meta';
import { mux } from './mux';
import { paddle } from './paddle';
import type { Provider, RecogniseContext } from './provider';
import { rapida } from './rapida';
import type { RequestFacts } from './requestFacts';
import { sendgrid } from './sendgrid';
import { shopify } from './shopify';
import { slack } from './slack';
import { square } from './square';
import { standardWebhooks } from './standardWebhooks';
import { stripe } from './stripe';
import { twilio } from './twilio';
import { twitch } from './twitch';
import { typeform } from './typeform';
import { vercel } from './vercel';
import { watson } from './watson';
import { zoom } from './zoom';

export const PROVIDERS: readonly Provider[] = [
  stripe,
  github,
  standardWebhooks,
  shopify,
  slack,
  sendgrid,
  twilio,
  gitlab,
  paddle,
  square,
  linear,
  zoom,
  twitch,
  typeform,
  vercel,
  mux,
  calendly,
  intercom,
  meta,
  discord,
  watson,
  rapida,
  genericHmac,
  generic,
];

const BY_ID = new Map(PROVIDERS.map((provider) => [provider.id, provider]));

export function providerById(id: string): Provider | undefined {
  return BY_ID.get(id);
}

/** The provider whose deliveries this request looks like; the generic one when none claims it. */
export function detectProvider(request: RequestFacts, context: RecogniseContext): Provider {
  for (const provider of PROVIDERS) if (provider.detect(request, context)) return provider;
  return generic;
}

/** A provider's label, or the id itself for one this version does not know. */
export function providerLabel(id: string): string {
  return BY_ID.get(id)?.label ?? (id === 'unknown' ? 'Unknown sender' : id);
}

/** True when some provider sends this non-POST request (Meta's subscription GET). */
export function providerAcceptsMethod(method: string, url: string): boolean {
  return PROVIDERS.some((provider) => provider.acceptsMethod?.(method, url) === true);
}
