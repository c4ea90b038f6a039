// Deliveries the end-to-end journeys send to the receiver: a POST of JSON and its answer's status,
// and sample GitHub and Stripe bodies whose rows read differently in the tree.

/** POSTs `body` as JSON with `headers`; resolves with the answer's status once it has been read. */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
  await response.arrayBuffer();
  return response.status;
}

export const GITHUB_PUSH = JSON.stringify({
  ref: 'refs/heads/main',
  repository: { full_name: 'octocat/hello' },
  pusher: { name: 'octocat' },
  sender: { login: 'octocat' },
  commits: [{ id: '1d1a26e6', message: 'Fix the parser' }],
  head_commit: { id: '1d1a26e6', message: 'Fix the parser' },
});

export const STRIPE_EVENT = JSON.stringify({
  id: 'evt_1',
  object: 'event',
  type: 'payment_intent.succeeded',
  data: {
    object: { object: 'payment_intent', amount: 1200, currency: 'usd', status: 'succeeded' },
  },
});
