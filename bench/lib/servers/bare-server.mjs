// The limit on this machine: a bare node:http server that reads the whole body and answers 200
// with a small JSON receipt, as a webhook handler that does no work would. Plain JavaScript so
// the process holds nothing but Node itself (its RSS is a baseline). Prints `LISTENING <port>`.
import { createServer } from 'node:http';

const answer = JSON.stringify({ received: true });

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    Buffer.concat(chunks);
    response.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(answer),
    });
    response.end(answer);
  });
});
// The same keep-alive as HookLens's receiver, so connections are reused alike.
server.keepAliveTimeout = 5_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`LISTENING ${server.address().port}`);
});
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
