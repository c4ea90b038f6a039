// Shopify: `orders/create` as the Admin API (2025-04) sends it: the order with its customer,
// line item, addresses and money in shop and presentment currency; times in the shop's offset.
// The topic, shop and webhook id travel in `X-Shopify-*` headers.
import { randomDigits, randomHex, randomInRange, randomUuid, type RandomSource } from '../random';
import type { SampleDefinition, SampleRequest } from './sample';

const SHOP = 'octo-outfitters.myshopify.com';
const API_VERSION = '2025-04';
/** The shop's time zone (America/New_York in summer): Shopify writes order times in it. */
const SHOP_OFFSET_MINUTES = -240;
const CUSTOMER_ID = 7329847201883;
const PRODUCT = {
  id: 8846290469211,
  variant: 47261839212891,
  title: 'Trail Runner 2',
  sku: 'TR2-BLU-42',
};

/** `2025-06-01T08:00:00-04:00`: the time in the shop's offset, at second precision. */
function shopTime(ms: number): string {
  const local = new Date(ms + SHOP_OFFSET_MINUTES * 60_000).toISOString().slice(0, 19);
  const sign = SHOP_OFFSET_MINUTES < 0 ? '-' : '+';
  const minutes = Math.abs(SHOP_OFFSET_MINUTES);
  const offset = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return `${local}${sign}${offset}`;
}

function money(amount: string) {
  return {
    shop_money: { amount, currency_code: 'USD' },
    presentment_money: { amount, currency_code: 'USD' },
  };
}

const ADDRESS = {
  first_name: 'Jenny',
  address1: '151 O’Connor Street',
  phone: '+15555550123',
  city: 'Ottawa',
  zip: 'K2P 2L8',
  province: 'Ontario',
  country: 'Canada',
  last_name: 'Rosen',
  address2: null,
  company: null,
  latitude: 45.4165,
  longitude: -75.6955,
  name: 'Jenny Rosen',
  country_code: 'CA',
  province_code: 'ON',
};

const ordersCreate = (nowMs: number, random: RandomSource): SampleRequest => {
  const id = Number(`6${randomDigits(random, 12)}`);
  const number = randomInRange(random, 1001, 9999);
  const quantity = randomInRange(random, 1, 3);
  const subtotal = (129 * quantity).toFixed(2);
  const shipping = '9.00';
  const total = (129 * quantity + 9).toFixed(2);
  const created = shopTime(nowMs);
  const token = randomHex(random, 32);
  const lineItem = {
    id: Number(`16${randomDigits(random, 12)}`),
    admin_graphql_api_id: '',
    current_quantity: quantity,
    fulfillable_quantity: quantity,
    fulfillment_service: 'manual',
    fulfillment_status: null,
    gift_card: false,
    grams: 680,
    name: `${PRODUCT.title} - Blue / 42`,
    price: '129.00',
    price_set: money('129.00'),
    product_exists: true,
    product_id: PRODUCT.id,
    properties: [],
    quantity,
    requires_shipping: true,
    sku: PRODUCT.sku,
    taxable: true,
    title: PRODUCT.title,
    total_discount: '0.00',
    total_discount_set: money('0.00'),
    variant_id: PRODUCT.variant,
    variant_inventory_management: 'shopify',
    variant_title: 'Blue / 42',
    vendor: 'Octo Outfitters',
    tax_lines: [],
    duties: [],
    discount_allocations: [],
  };
  lineItem.admin_graphql_api_id = `gid://shopify/LineItem/${lineItem.id}`;
  const order = {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    app_id: 580111,
    browser_ip: '203.0.113.24',
    buyer_accepts_marketing: false,
    cancel_reason: null,
    cancelled_at: null,
    cart_token: randomHex(random, 32),
    checkout_id: Number(`3${randomDigits(random, 13)}`),
    checkout_token: randomHex(random, 32),
    client_details: {
      accept_language: 'en-CA',
      browser_height: 900,
      browser_ip: '203.0.113.24',
      browser_width: 1440,
      session_hash: null,
      user_agent:
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    },
    closed_at: null,
    confirmation_number: randomHex(random, 9).toUpperCase(),
    confirmed: true,
    contact_email: 'jenny.rosen@example.com',
    created_at: created,
    currency: 'USD',
    current_subtotal_price: subtotal,
    current_subtotal_price_set: money(subtotal),
    current_total_discounts: '0.00',
    current_total_discounts_set: money('0.00'),
    current_total_price: total,
    current_total_price_set: money(total),
    current_total_tax: '0.00',
    current_total_tax_set: money('0.00'),
    customer_locale: 'en-CA',
    discount_codes: [],
    email: 'jenny.rosen@example.com',
    estimated_taxes: false,
    financial_status: 'paid',
    fulfillment_status: null,
    landing_site: '/products/trail-runner-2',
    name: `#${number}`,
    note: null,
    note_attributes: [],
    number: number - 1000,
    order_number: number,
    order_status_url: `https://${SHOP}/71294861403/orders/${token}/authenticate?key=${randomHex(random, 32)}`,
    payment_gateway_names: ['shopify_payments'],
    phone: null,
    presentment_currency: 'USD',
    processed_at: created,
    reference: null,
    referring_site: 'https://www.google.com/',
    source_name: 'web',
    subtotal_price: subtotal,
    subtotal_price_set: money(subtotal),
    tags: '',
    tax_exempt: false,
    tax_lines: [],
    taxes_included: false,
    test: false,
    token,
    total_discounts: '0.00',
    total_discounts_set: money('0.00'),
    total_line_items_price: subtotal,
    total_line_items_price_set: money(subtotal),
    total_price: total,
    total_price_set: money(total),
    total_shipping_price_set: money(shipping),
    total_tax: '0.00',
    total_tax_set: money('0.00'),
    total_weight: 680 * quantity,
    updated_at: created,
    user_id: null,
    billing_address: ADDRESS,
    customer: {
      id: CUSTOMER_ID,
      email: 'jenny.rosen@example.com',
      created_at: '2024-11-02T14:21:07-04:00',
      updated_at: created,
      first_name: 'Jenny',
      last_name: 'Rosen',
      state: 'enabled',
      note: null,
      verified_email: true,
      multipass_identifier: null,
      tax_exempt: false,
      phone: null,
      currency: 'USD',
      tax_exemptions: [],
      admin_graphql_api_id: `gid://shopify/Customer/${CUSTOMER_ID}`,
    },
    discount_applications: [],
    fulfillments: [],
    line_items: [lineItem],
    payment_terms: null,
    refunds: [],
    shipping_address: ADDRESS,
    shipping_lines: [
      {
        id: Number(`5${randomDigits(random, 12)}`),
        code: 'Standard',
        discounted_price: shipping,
        price: shipping,
        price_set: money(shipping),
        source: 'shopify',
        title: 'Standard',
        tax_lines: [],
      },
    ],
  };
  // Shopify's event time has nanoseconds; the webhook id is new for every topic and order.
  const triggered = `${new Date(nowMs).toISOString().slice(0, 23)}${randomDigits(random, 6)}Z`;
  return {
    headers: [
      ['Content-Type', 'application/json'],
      ['Accept', '*/*'],
      ['User-Agent', 'Shopify-Captain-Hook'],
      ['X-Shopify-Api-Version', API_VERSION],
      ['X-Shopify-Event-Id', randomUuid(random)],
      ['X-Shopify-Shop-Domain', SHOP],
      ['X-Shopify-Topic', 'orders/create'],
      ['X-Shopify-Triggered-At', triggered],
      ['X-Shopify-Webhook-Id', randomUuid(random)],
    ],
    body: JSON.stringify(order),
  };
};

export const SHOPIFY_SAMPLES: readonly SampleDefinition[] = [
  {
    name: 'shopify.orders.create',
    description: 'Shopify: a paid order placed (topic orders/create, X-Shopify-Hmac-Sha256)',
    sender: 'shopify',
    event: 'orders/create',
    path: '/webhooks/shopify',
    auth: 'signed',
    build: ordersCreate,
  },
];
