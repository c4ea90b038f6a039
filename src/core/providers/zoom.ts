// Zoom: `x-zm-signature: v0=…` over `v0:{timestamp}:{raw body}` with the app's Secret Token. The
// event is the body's `event` (`meeting.started`), grouped by meeting; Zoom sends no delivery id,
// so the event, its `event_ts` and the object's id stand for one. Zoom checks the endpoint with
// `endpoint.url_validation` (and again every 72 hours), answered with the plainToken and its HMAC.
import { stringAt } from '../senders/jsonPointer';
import { zoomEncryptedToken } from '../verify/schemes/zoom';
import { jsonAnswer, type Provider } from './provider';

const VALIDATION = 'endpoint.url_validation';

export const zoom: Provider = {
  id: 'zoom',
  label: 'Zoom',
  scheme: 'zoom',
  secret: {
    kind: 'issued',
    noun: 'Secret Token',
    where:
      "the app's Secret Token in the Zoom App Marketplace (Manage → the app → Features → Access → Secret Token)",
    validate: (value) =>
      /\s/.test(value.trim()) ? 'A Zoom Secret Token has no spaces.' : undefined,
  },
  detect: (request) =>
    request.header('x-zm-signature') !== undefined ||
    request.header('x-zm-request-timestamp') !== undefined,
  recognise(request) {
    const json = request.json;
    const event = stringAt(json, '/event');
    const eventTs = stringAt(json, '/event_ts');
    const object =
      stringAt(json, '/payload/object/uuid') ?? stringAt(json, '/payload/object/id') ?? null;
    return {
      event,
      sessionId: object,
      senderEventId:
        event === null || eventTs === null
          ? null
          : `${event}@${eventTs}${object === null ? '' : `:${object}`}`,
    };
  },
  answer(request, recognition, { signingSecrets }) {
    if (recognition.event !== VALIDATION) return undefined;
    const plainToken = stringAt(request.json, '/payload/plainToken');
    if (plainToken === null) return undefined;
    const secret = signingSecrets?.[0];
    if (secret === undefined) {
      return jsonAnswer(
        {
          error: `HookLens has no Zoom Secret Token, so it cannot answer ${VALIDATION}: set one for Zoom and validate the endpoint again.`,
        },
        true,
        500,
      );
    }
    return jsonAnswer(
      { plainToken, encryptedToken: zoomEncryptedToken(secret.value.trim(), plainToken) },
      true,
    );
  },
};
