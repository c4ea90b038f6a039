// HTTP Toolkit's capture engine: a mockttp server whose one rule answers 200 to any request, with
// mockttp's default traffic recording on (every request is kept in memory, headers and body, for
// getSeenRequests()). Prints `LISTENING <port>`; on SIGTERM it prints how many it recorded.
import { getLocal } from 'mockttp';

const server = getLocal(); // recordTraffic defaults to true
await server.start();
// Content-Length given explicitly: with a header list that lacks it, mockttp answers
// close-delimited, and a keep-alive client then waits for a close that never comes.
const answer = JSON.stringify({ received: true });
const endpoint = await server.forAnyRequest().thenReply(200, answer, {
  'Content-Type': 'application/json; charset=utf-8',
  'Content-Length': String(Buffer.byteLength(answer)),
});
console.log(`LISTENING ${server.port}`);
process.once('SIGTERM', () => {
  void endpoint
    .getSeenRequests()
    .then((seen) => console.error(`RECORDED ${seen.length}`))
    .finally(() => server.stop())
    .finally(() => process.exit(0));
});
