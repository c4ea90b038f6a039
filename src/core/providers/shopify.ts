// Shopify: `X-Shopify-Hmac-Sha256` (base64) over the raw body with the app's API secret; the
// event is the `X-Shopify-Topic` header (`orders/create`), the id `X-Shopify-Webhook-Id`, so
// `orders/paid` for the same order is its own delivery, not a retry.
import { stringAt } from '../senders/jsonPointer';
import type { Provider } from './provider';

export const shopify: Provider = {
  id: 'shopify',
  label: 'Shopify',
  scheme: 'shopify',
  secret: {
    kind: 'issued',
    noun: 'API secret key',
    where:
      "the app's Client secret in the Partner Dashboard (webhooks made in the store admin use the key shown under Settings → Notifications)",
  },
  // Webhooks since 2025 may come with the un-prefixed `shopify-*` header names.
  detect: (request) =>
    request.header('x-shopify-hmac-sha256') !== undefined ||
    request.header('x-shopify-topic') !== undefined ||
    request.header('shopify-hmac-sha256') !== undefined ||
    request.header('shopify-topic') !== undefined,
  recognise: (request) => ({
    event:
      request.header('x-shopify-topic')?.trim() || request.header('shopify-topic')?.trim() || null,
    sessionId:
      request.header('x-shopify-shop-domain')?.trim() ||
      request.header('shopify-shop-domain')?.trim() ||
      stringAt(request.json, '/admin_graphql_api_id'),
    senderEventId:
      request.header('x-shopify-webhook-id')?.trim() ||
      request.header('shopify-webhook-id')?.trim() ||
      request.header('x-shopify-event-id')?.trim() ||
      null,
  }),
};
