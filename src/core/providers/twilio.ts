// Twilio: SMS and voice webhooks and status callbacks, posted as forms and signed with the
// account's Auth Token over the public URL plus the sorted parameters. The event is read from
// the status fields; incoming messages and calls get an empty TwiML answer.
import type { Provider } from './provider';

function twilioEvent(field: (name: string) => string | undefined): string | null {
  const message = field('MessageStatus') ?? field('SmsStatus');
  if (message !== undefined) return `message.${message}`;
  const call = field('CallStatus');
  if (call !== undefined) return `call.${call}`;
  return null;
}

export const twilio: Provider = {
  id: 'twilio',
  label: 'Twilio',
  scheme: 'twilio',
  secret: {
    kind: 'issued',
    noun: 'Auth Token',
    where: "the account's Auth Token in the Twilio Console (Account Info)",
    validate: (value) =>
      /^(AC|SK)[0-9a-f]{32}$/.test(value.trim())
        ? 'This is an Account SID or API key SID, not the secret: paste the Auth Token (or the SharedKey secret).'
        : undefined,
  },
  detect: (request) =>
    request.header('x-twilio-signature') !== undefined ||
    /^AC[0-9a-f]{32}$/.test(request.formField('AccountSid') ?? ''),
  recognise(request) {
    const field = (name: string): string | undefined =>
      request.formField(name) ??
      (typeof request.json === 'object' && request.json !== null && name in request.json
        ? String((request.json as Record<string, unknown>)[name])
        : undefined);
    return {
      event: twilioEvent(field),
      sessionId: field('CallSid') ?? field('MessageSid') ?? field('SmsSid') ?? null,
      senderEventId: request.header('i-twilio-idempotency-token')?.trim() || null,
    };
  },
  answer(_request, recognition) {
    // An incoming message or call wants TwiML; an empty Response does nothing, without an error.
    if (recognition.event === 'message.received' || recognition.event === 'call.ringing') {
      return {
        status: 200,
        contentType: 'text/xml; charset=utf-8',
        body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>',
        handshake: false,
      };
    }
    return undefined;
  },
};
