// Python target: quicktype's dataclasses (with from_dict, which maps the real keys; not pydantic's
// just-types mode, which renames keys without aliases: dependencies.md §6.1), a FastAPI app that
// verifies the JWT with PyJWT and dispatches, and a unittest file replaying the samples through
// FastAPI's TestClient.
import { inferTypes, typeNameOf, type InferredTypes } from '../inference';
import { pythonString } from '../literals';
import { snakeFromStem } from '../names';
import type { EventModel, GeneratedFile, GenerationTarget, HandlerModel } from '../model';
import {
  PY_TEXT_AT,
  pyEventName,
  pyHandshakeAfter,
  pyMetaSubscription,
  pyTestSigning,
  pyVerification,
} from '../verification/python';
import {
  describeVerification,
  environmentLines,
  redeliverySample,
  sampleHeaders,
  wireBody,
} from '../verification/shared';
import { comment, describeEventKey, eventCommentLines, headerLines, pointerTokens } from './shared';
import { deliveryIdSentence } from '../verification/typescript';

export async function pythonFiles(
  model: HandlerModel,
  target: GenerationTarget,
): Promise<GeneratedFile[]> {
  const types = await inferTypes(model, 'python');
  const flask = target.framework === 'flask';
  const packages = flask
    ? ['flask>=2.2', ...pyVerification(model.verification).requirements]
    : [
        'fastapi>=0.92',
        'uvicorn>=0.20',
        ...pyVerification(model.verification).requirements,
        'httpx>=0.23',
      ];
  return [
    {
      name: 'webhook_types.py',
      languageId: 'python',
      content: `${comment('#', headerLines(model, 'Types for each webhook event (dataclasses; from_dict reads the real keys).'))}\n\n${types.source}`,
    },
    {
      name: 'webhook_handler.py',
      languageId: 'python',
      content: handlerFile(model, types, flask),
    },
    {
      name: 'test_webhook_handler.py',
      languageId: 'python',
      content: testFile(model, types, flask),
    },
    {
      name: 'requirements.txt',
      languageId: 'pip-requirements',
      content: `${comment('#', [`What the generated handler needs. Run: WEBHOOK_SECRET=... ${serveCommand(target.framework)}`])}\n${packages.join('\n')}\n`,
    },
  ];
}

function methodName(event: EventModel): string {
  return `on_${snakeFromStem(event.stem)}`;
}

function handlerFile(model: HandlerModel, types: InferredTypes, flask: boolean): string {
  const methods = model.events
    .map((event) => {
      const lines = comment('#', eventCommentLines(event), '    ');
      return event.reply === 'watson_payload'
        ? `${lines}\n    def ${methodName(event)}(self, body: payloads.${typeNameOf(types, event)}, raw: Dict[str, Any]) -> Any:\n        """Returns the payload to send back as {"payload": ...}; raw keeps every field."""\n        return raw.get("payload", {})`
        : `${lines}\n    def ${methodName(event)}(self, body: payloads.${typeNameOf(types, event)}) -> Optional[Awaitable[None]]:\n        print(${pythonString(`webhook: ${event.name}`)})\n        return None`;
    })
    .join('\n\n');
  const branches = model.events
    .map((event) => {
      const typed = `payloads.${typeNameOf(types, event)}.from_dict(body)`;
      const call =
        event.reply === 'watson_payload'
          ? `        return {"payload": await _settle(handlers.${methodName(event)}(_typed(${pythonString(event.name)}, lambda: ${typed}), body))}`
          : `        await _settle(handlers.${methodName(event)}(_typed(${pythonString(event.name)}, lambda: ${typed})))\n        return None`;
      return `    if name == ${pythonString(event.name)}:\n${call}`;
    })
    .join('\n');
  const nameRead =
    model.eventKey.kind === 'pointer'
      ? `_value_at(body, [${pointerTokens(model.eventKey.pointer).map(pythonString).join(', ')}])`
      : model.eventKey.kind === 'header'
        ? `headers.get(${pythonString(model.eventKey.name)})`
        : 'event_name(body, headers)';
  const profile = model.verification;
  const verification = pyVerification(profile);
  const stdlib = [
    ...new Set([
      ...verification.imports.filter((line) => line.startsWith('import ')),
      'import inspect',
      'import json',
      'import os',
      'import re',
      ...(profile.handshakes.includes('zoom_url_validation') ? ['import hashlib'] : []),
      ...(profile.forms ? ['import urllib.parse'] : []),
    ]),
  ].sort();
  const thirdParty = verification.imports.filter((line) => line.startsWith('from '));
  return `${comment('#', headerLines(model, `Webhook handler (${flask ? 'Flask' : 'FastAPI'}): ${describeVerification(profile)}, parses the body and dispatches each event.`))}
${comment('#', environmentLines(profile))}
# Run: WEBHOOK_SECRET=... ${serveCommand(flask ? 'flask' : 'fastapi')} --port 3000
${[...new Set([...stdlib, ...(flask ? ['import asyncio', 'import urllib.parse'] : [])])].sort().join('\n')}
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, TypeVar, Union

${thirdParty.map((line) => `${line}\n`).join('')}${flask ? 'from flask import Flask, Response, jsonify, request as flask_request' : 'from fastapi import FastAPI, Request\nfrom fastapi.responses import JSONResponse, Response'}

import webhook_types as payloads

MAX_BODY_BYTES = 5 * 1024 * 1024
CLOCK_TOLERANCE_SECONDS = 60
${profile.twiml ? `# What Twilio expects back from a message or call webhook: TwiML that does nothing.\nEMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'\n` : ''}T = TypeVar("T")

# Every event the captured deliveries showed, keyed on ${describeEventKey(model.eventKey)}.
EVENT_TYPES = {
${model.events.map((event) => `    ${pythonString(event.name)}: payloads.${typeNameOf(types, event)},`).join('\n')}
}
WebhookEvent = Union[${model.events.map((event) => `payloads.${typeNameOf(types, event)}`).join(', ')}]


class Handlers:
    """Your code goes here: one method per event, keyed on ${describeEventKey(model.eventKey)}."""

${methods}

    def on_unknown_event(self, name: Optional[str], body: Any) -> Optional[Awaitable[None]]:
        print("webhook: no handler for event", repr(name))
        return None


class WebhookRejected(Exception):
    """The request is not from the sender: answered 401 with the reason."""


class ShapeMismatch(Exception):
    """The body does not match the captured shape: answered 400."""


@dataclass(frozen=True)
class WebhookRequest:
    """What verification reads: the path and query as received, headers, and the raw bytes."""

    url: str
    headers: Mapping[str, str]
    body: bytes


${verification.code}${profile.forms ? FORM_PARSER : ''}${model.eventKey.kind === 'provider' ? pyEventName(model.eventKey.rules) : ''}${model.eventKey.kind === 'provider' || profile.handshakes.length > 0 ? PY_TEXT_AT : ''}def _value_at(value: Any, path: List[str]) -> Optional[str]:
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value if isinstance(value, str) else None


def _typed(name: str, convert: Callable[[], T]) -> T:
    try:
        return convert()
    except (AssertionError, TypeError, ValueError, KeyError, AttributeError) as error:
        # PayloadShapeError (a ValueError) names the JSON path: "at issue.title: expected a string, got null".
        raise ShapeMismatch(f"The body does not match the captured shape of {name!r} {error}.") from None


async def _settle(result: Any) -> Any:
    return await result if inspect.isawaitable(result) else result


async def dispatch_webhook_event(body: Any, headers: Mapping[str, str], handlers: Handlers) -> Any:
    """Calls the event's typed method; its result is the reply body (None: {"ok": true})."""
    name = ${nameRead}
${branches}
    await _settle(handlers.on_unknown_event(name, body))
    return None


def _verify_with_secrets(secrets: Sequence[str], verify: Callable[[str], None]) -> None:
    """Secret rotation: the current secret (WEBHOOK_SECRET), then each previous one
    (WEBHOOK_SECRET_PREVIOUS); the first that verifies wins, else the current secret's reason."""
    first: Optional[WebhookRejected] = None
    for key in [candidate for candidate in secrets if candidate]:
        try:
            verify(key)
            return
        except WebhookRejected as rejected:
            first = first or rejected
    raise first or WebhookRejected("No secret is configured.")


@dataclass(frozen=True)
class WebhookReply:
    """What to answer: a JSON body, or text when content_type is given."""

    status: int
    body: Any
    content_type: Optional[str] = None


${pyDeliveryLog(profile)}${pyMetaSubscription(profile)}async def handle_webhook(request: WebhookRequest, secrets: Sequence[str], handlers: Handlers${verification.parameters}, deliveries: Optional[DeliveryLog] = None) -> WebhookReply:
    """The whole request path, framework-free: verify, parse, dispatch, answer."""
    secret = secrets[0] if secrets else ""
    now = time.time()
    try:
        _verify_with_secrets(secrets, lambda key: ${verification.call})
    except WebhookRejected as rejected:
        return WebhookReply(401, {"error": str(rejected)})
    try:
        body = ${profile.forms ? '_parse_body(request.body, request.headers)' : 'json.loads(request.body)'}
    except ValueError:
        return WebhookReply(400, {"error": ${profile.forms ? '"The body is not JSON or a form."' : '"The body is not JSON."'}})
${pyHandshakeAfter(profile)}${
    profile.batch
      ? pyBatchDispatch(profile.label)
      : `    # A redelivery of one already handled is answered, not handled twice.
    log = deliveries if deliveries is not None else DEFAULT_DELIVERIES
    delivery_id = webhook_delivery_id(body, request.headers)
    if delivery_id is not None and log.seen(delivery_id):
        return ${profile.twiml ? 'WebhookReply(200, EMPTY_TWIML, "text/xml; charset=utf-8")' : 'WebhookReply(200, {"ok": True, "duplicate": True})'}
    try:
        answer = await dispatch_webhook_event(body, request.headers, handlers)
    except ShapeMismatch as mismatch:
        return WebhookReply(400, {"error": str(mismatch)})
    if delivery_id is not None:
        log.remember(delivery_id)
    ${profile.twiml ? `if answer is None:\n        return WebhookReply(200, EMPTY_TWIML, "text/xml; charset=utf-8")\n    return WebhookReply(200, answer)` : 'return WebhookReply(200, answer if answer is not None else {"ok": True})'}`
  }


def _previous_secrets() -> List[str]:
    """WEBHOOK_SECRET_PREVIOUS: the secret being rotated out, accepted too until you remove it."""
    previous = os.environ.get("WEBHOOK_SECRET_PREVIOUS", "")
    return [previous] if previous else []


${flask ? flaskAdapter(model, verification) : fastapiAdapter(model, verification)}
def __getattr__(name: str) -> Any:
    # "${serveCommand(flask ? 'flask' : 'fastapi')}" builds the app on first use, so importing this module (as the
    # tests do) needs no secret.
    if name == "app":
        return create_app(os.environ.get("WEBHOOK_SECRET", ""), previous_secrets=_previous_secrets()${verification.environment})
    raise AttributeError(name)
`;
}

/** A batch (SendGrid): each event dispatched on its own; one already handled is skipped. */
function pyBatchDispatch(label: string): string {
  return `    if not isinstance(body, list):
        return WebhookReply(400, {"error": ${pythonString(`${label} posts a JSON array of events.`)}})
    # Each event on its own; one already handled (a retried batch repeats its events) is skipped.
    log = deliveries if deliveries is not None else DEFAULT_DELIVERIES
    handled = 0
    for event in body:
        delivery_id = webhook_delivery_id(event, request.headers)
        if delivery_id is not None and log.seen(delivery_id):
            continue
        try:
            await dispatch_webhook_event(event, request.headers, handlers)
        except ShapeMismatch as mismatch:
            return WebhookReply(400, {"error": str(mismatch)})
        if delivery_id is not None:
            log.remember(delivery_id)
        handled += 1
    return WebhookReply(200, {"ok": True, "events": len(body), "handled": handled})`;
}

function serveCommand(framework: string): string {
  return framework === 'flask' ? 'flask --app webhook_handler run' : 'uvicorn webhook_handler:app';
}

/** The verification parameters as keyword arguments passed on (`, verify_token=verify_token`). */
function passOn(parameters: string): string {
  return [...parameters.matchAll(/, (\w+):/g)].map((match) => `, ${match[1]}=${match[1]}`).join('');
}

function flaskAdapter(
  model: HandlerModel,
  verification: ReturnType<typeof pyVerification>,
): string {
  const profile = model.verification;
  const meta = profile.handshakes.includes('meta_subscribe');
  return `def _raw_url() -> str:
    """The path and query exactly as the sender wrote them (URL-bound signatures cover them)."""
    environ = flask_request.environ
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if isinstance(raw, str) and raw.startswith("/"):
        return raw
    path = urllib.parse.quote(str(environ.get("SCRIPT_NAME", "")) + str(environ.get("PATH_INFO", "")), safe="/%:@!$&'()*+,;=-._~")
    query = str(environ.get("QUERY_STRING", ""))
    return path + ("?" + query if query else "")


def _response(reply: WebhookReply) -> Response:
    if reply.content_type is not None:
        return Response(str(reply.body), status=reply.status, content_type=reply.content_type)
    response = jsonify(reply.body)
    response.status_code = reply.status
    return response


def create_app(secret: str, handlers: Optional[Handlers] = None${verification.parameters}, previous_secrets: Sequence[str] = (), deliveries: Optional[DeliveryLog] = None) -> Flask:
    if not secret:
        raise ValueError(${pythonString(`The webhook secret is empty: set WEBHOOK_SECRET to the ${profile.label} ${profile.secretNoun}.`)})
    chosen = handlers or Handlers()
    secrets = [secret, *previous_secrets]
    log = deliveries if deliveries is not None else DeliveryLog()
    app = Flask(__name__)
    # Larger bodies are answered 413 before they are read.
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
${
  meta
    ? `
    @app.get("/", defaults={"path": ""})
    @app.get("/<path:path>")
    def subscribe(path: str) -> Response:
        return _response(answer_subscription(flask_request.args, verify_token))
`
    : ''
}
    @app.post("/", defaults={"path": ""})
    @app.post("/<path:path>")
    def receive(path: str) -> Response:
        # The raw bytes, as sent: the signature covers them, never a re-parsed form or JSON.
        raw = flask_request.get_data(cache=False, as_text=False, parse_form_data=False)
        webhook_request = WebhookRequest(url=_raw_url(), headers=flask_request.headers, body=raw)
        # Flask views are synchronous: the handler's coroutine runs to completion here.
        return _response(asyncio.run(handle_webhook(webhook_request, secrets, chosen${passOn(verification.parameters)}, deliveries=log)))

    return app

`;
}

function fastapiAdapter(
  model: HandlerModel,
  verification: ReturnType<typeof pyVerification>,
): string {
  const profile = model.verification;
  const meta = profile.handshakes.includes('meta_subscribe');
  return `def _raw_url(request: Request) -> str:
    """The path and query exactly as the sender wrote them (URL-bound signatures cover them)."""
    path = request.scope.get("raw_path") or request.url.path.encode("utf-8")
    query = request.scope.get("query_string") or b""
    return str(path.decode("latin-1")) + ("?" + query.decode("latin-1") if query else "")


def _response(reply: WebhookReply) -> Response:
    if reply.content_type is not None:
        return Response(str(reply.body), status_code=reply.status, media_type=reply.content_type)
    return JSONResponse(reply.body, status_code=reply.status)


def create_app(secret: str, handlers: Optional[Handlers] = None${verification.parameters}, previous_secrets: Sequence[str] = (), deliveries: Optional[DeliveryLog] = None) -> FastAPI:
    if not secret:
        raise ValueError(${pythonString(`The webhook secret is empty: set WEBHOOK_SECRET to the ${profile.label} ${profile.secretNoun}.`)})
    chosen = handlers or Handlers()
    secrets = [secret, *previous_secrets]
    log = deliveries if deliveries is not None else DeliveryLog()
    app = FastAPI()
${
  meta
    ? `
    @app.get("/{path:path}")
    async def subscribe(request: Request, path: str) -> Response:
        return _response(answer_subscription(request.query_params, verify_token))
`
    : ''
}
    @app.post("/{path:path}")
    async def receive(request: Request, path: str) -> Response:
        if int(request.headers.get("content-length") or 0) > MAX_BODY_BYTES:
            return JSONResponse({"error": "The body is too large."}, status_code=413)
        raw = await request.body()
        webhook_request = WebhookRequest(url=_raw_url(request), headers=request.headers, body=raw)
        return _response(await handle_webhook(webhook_request, secrets, chosen${passOn(verification.parameters)}, deliveries=log))

    return app

`;
}

const FORM_PARSER = `def _is_form(headers: Mapping[str, str]) -> bool:
    return headers.get("content-type", "").split(";")[0].strip().lower() == "application/x-www-form-urlencoded"


def _parse_body(raw: bytes, headers: Mapping[str, str]) -> Any:
    """JSON, or a form: a \`payload\` field holding a JSON object is the document (Slack
    interactivity, GitHub's form type), else the fields (the first value of each)."""
    if not _is_form(headers):
        return json.loads(raw)
    fields = urllib.parse.parse_qsl(raw.decode("utf-8"), keep_blank_values=True)
    for name, value in fields:
        if name == "payload":
            try:
                document = json.loads(value)
            except ValueError:
                break
            if isinstance(document, dict):
                return document
            break
    result: Dict[str, str] = {}
    for name, value in fields:
        result.setdefault(name, value)
    return result


`;

function testFile(model: HandlerModel, types: InferredTypes, flask: boolean): string {
  const samples = model.events
    .flatMap((event) =>
      event.embedded.map(
        (sample) =>
          `    {"event": ${pythonString(event.name)}, "handler": ${pythonString(methodName(event))}, "body": ${pythonString(wireBody(sample))}, "headers": {${sampleHeaders(
            model,
            event,
            sample,
          )
            .map(([name, value]) => `${pythonString(name.toLowerCase())}: ${pythonString(value)}`)
            .join(', ')}}},`,
      ),
    )
    .join('\n');
  const overrides = model.events
    .map((event) => {
      const type = `webhook_types.${typeNameOf(types, event)}`;
      return event.reply === 'watson_payload'
        ? `    def ${methodName(event)}(self, body: ${type}, raw: Dict[str, Any]) -> Any:\n        self.reached.append(${pythonString(methodName(event))})\n        return super().${methodName(event)}(body, raw)`
        : `    def ${methodName(event)}(self, body: ${type}) -> Optional[Awaitable[None]]:\n        self.reached.append(${pythonString(methodName(event))})\n        return super().${methodName(event)}(body)`;
    })
    .join('\n\n');
  const signing = pyTestSigning(model.verification);
  const stdlib = [
    ...new Set([
      ...signing.imports.filter((line) => line.startsWith('import ')),
      'import unittest',
    ]),
  ].sort();
  return `${comment('#', headerLines(model, `Replays the captured samples (tokens and secrets removed) through the app, signed ${model.verification.label}'s way: each must reach its typed method; tampered, stale and wrongly signed deliveries get 401.`))}
# Run: python -m unittest test_webhook_handler
${stdlib.join('\n')}
${flask ? 'from dataclasses import dataclass\n' : ''}from typing import Any, Awaitable, Dict, List, Optional, Tuple

${signing.imports
  .filter((line) => line.startsWith('from '))
  .map((line) => `${line}\n`)
  .join('')}${flask ? '' : 'import httpx\nfrom fastapi.testclient import TestClient\n'}
import webhook_handler
import webhook_types

${flask ? FLASK_TEST_CLIENT : `# TestClient's requests go to this URL (URL-bound signatures cover it).\nURL = "http://testserver/webhook"\n`}
${signing.code}

SAMPLES: List[Dict[str, Any]] = [
${samples}
]


class Recording(webhook_handler.Handlers):
    def __init__(self) -> None:
        self.reached: List[str] = []

${overrides}


class ReplayTest(unittest.TestCase):
    def setUp(self) -> None:
        self.handlers = Recording()
        self.deliveries = webhook_handler.DeliveryLog()
        self.client = ${flask ? 'Client' : 'TestClient'}(webhook_handler.create_app(TEST_SECRET, self.handlers${signing.appArguments}, previous_secrets=[PREVIOUS_SECRET], deliveries=self.deliveries))

    def post(self, body: str, headers: Dict[str, str]) -> ${flask ? 'Answer' : 'httpx.Response'}:
        return self.client.post("/webhook", content=body.encode("utf-8"), headers=headers)

    def test_each_sample_reaches_its_method(self) -> None:
        for sample in SAMPLES:
            with self.subTest(event=sample["event"]):
                self.handlers.reached.clear()
                self.deliveries.clear()
                body, headers = sign_request(sample["body"], URL)
                response = self.post(body, {**sample["headers"], **headers})
                self.assertEqual(response.status_code, 200, response.text)
                self.assertEqual(self.handlers.reached, [sample["handler"]])

${signing.methods}
${pyRedeliveryTest(model)}

if __name__ == "__main__":
    unittest.main()
`;
}

/** Flask's test client behind the few calls the tests make of FastAPI's (status_code, text). */
const FLASK_TEST_CLIENT = `# Flask's test client sends its requests to this URL (URL-bound signatures cover it).
URL = "http://localhost/webhook"


@dataclass(frozen=True)
class Answer:
    status_code: int
    text: str


class Client:
    """app.test_client(), answering with the status and the body as text."""

    def __init__(self, app: Any) -> None:
        self._client = app.test_client()

    def post(self, path: str, content: bytes, headers: Dict[str, str]) -> Answer:
        response = self._client.post(path, data=content, headers=headers)
        return Answer(response.status_code, response.get_data(as_text=True))

    def get(self, path: str) -> Answer:
        response = self._client.get(path)
        return Answer(response.status_code, response.get_data(as_text=True))
`;

function pyRedeliveryTest(model: HandlerModel): string {
  const chosen = redeliverySample(model);
  if (chosen === undefined) return '';
  const extra = chosen.header
    ? `${pythonString(chosen.header[0])}: ${pythonString(chosen.header[1])}, `
    : '';
  return `
    def test_redelivery_is_not_handled_twice(self) -> None:
        sample = SAMPLES[${chosen.index}]
        body, signed = sign_request(sample["body"], URL)
        headers = {**sample["headers"], ${extra}**signed}
        first = self.post(body, headers)
        again = self.post(body, headers)
        self.assertEqual(first.status_code, 200, first.text)
        self.assertEqual(again.status_code, 200, again.text)
        self.assertEqual(self.handlers.reached, [sample["handler"]])
`;
}

/** DeliveryLog (the hook for your own store) and webhook_delivery_id. */
function pyDeliveryLog(profile: HandlerModel['verification']): string {
  const sources = profile.deliveryId;
  const reads = sources.map((source) =>
    source.from === 'header'
      ? `headers.get(${pythonString(source.name.toLowerCase())})`
      : `_id_at(body, [${source.tokens.map(pythonString).join(', ')}])`,
  );
  const readsBody = sources.some((source) => source.from === 'body');
  return `class DeliveryLog:
    """Where deliveries already handled are remembered, so a redelivery (senders retry until they
    see a 2xx, and may deliver one event twice) is answered 200 without running your code again.
    ${deliveryIdSentence(profile)}
    This default keeps the last ids in this process only (lost on restart, not shared between
    workers): subclass it with seen/remember on your store (Redis SET NX, a unique key) and pass
    it to create_app(deliveries=...)."""

    def __init__(self, capacity: int = 10_000) -> None:
        self._ids: Dict[str, None] = {}
        self._capacity = capacity

    def seen(self, delivery_id: str) -> bool:
        return delivery_id in self._ids

    def remember(self, delivery_id: str) -> None:
        self._ids[delivery_id] = None
        while len(self._ids) > self._capacity:
            del self._ids[next(iter(self._ids))]

    def clear(self) -> None:
        self._ids.clear()


DEFAULT_DELIVERIES = DeliveryLog()


def webhook_delivery_id(body: Any, headers: Mapping[str, str]) -> Optional[str]:
    """The provider's delivery id, the same on every redelivery; None when it sends none."""
${
  reads.length === 0
    ? '    return None'
    : `    for candidate in (${reads.join(', ')},):
        if candidate is not None and candidate.strip():
            return candidate.strip()
    return None`
}
${
  readsBody
    ? `

def _id_at(value: Any, path: List[str]) -> Optional[str]:
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    if isinstance(value, bool):
        return None
    return str(value) if isinstance(value, (str, int)) else None
`
    : ''
}

`;
}
