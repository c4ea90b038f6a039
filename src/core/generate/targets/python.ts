// Python target: quicktype's dataclasses (with from_dict, which maps the real keys; not pydantic's
// just-types mode, which renames keys without aliases: dependencies.md §6.1), a FastAPI app that
// verifies the JWT with PyJWT and dispatches, and a unittest file replaying the samples through
// FastAPI's TestClient.
import { inferTypes, typeNameOf, type InferredTypes } from '../inference';
import { pythonString } from '../literals';
import { snakeFromStem } from '../names';
import type { EventModel, GeneratedFile, GenerationTarget, HandlerModel } from '../model';
import { sampleText } from '../samples';
import {
  comment,
  describeEventKey,
  eventCommentLines,
  headerLines,
  pointerTokens,
  TEST_SECRET,
} from './shared';

export async function pythonFiles(
  model: HandlerModel,
  _target: GenerationTarget,
): Promise<GeneratedFile[]> {
  const types = await inferTypes(model, 'python');
  return [
    {
      name: 'webhook_types.py',
      languageId: 'python',
      content: `${comment('#', headerLines(model, 'Types for each webhook event (dataclasses; from_dict reads the real keys).'))}\n\n${types.source}`,
    },
    { name: 'webhook_handler.py', languageId: 'python', content: handlerFile(model, types) },
    { name: 'test_webhook_handler.py', languageId: 'python', content: testFile(model) },
    {
      name: 'requirements.txt',
      languageId: 'pip-requirements',
      content: `${comment('#', ['What the generated handler needs. Run: WEBHOOK_SECRET=... uvicorn webhook_handler:app'])}\nfastapi>=0.92\nuvicorn>=0.20\nPyJWT>=2.6\nhttpx>=0.23\n`,
    },
  ];
}

function methodName(event: EventModel): string {
  return `on_${snakeFromStem(event.stem)}`;
}

function handlerFile(model: HandlerModel, types: InferredTypes): string {
  const methods = model.events
    .map((event) => {
      const lines = comment('#', eventCommentLines(event), '    ');
      return event.reply === 'watson_payload'
        ? `${lines}\n    def ${methodName(event)}(self, body: payloads.${typeNameOf(types, event)}, raw: Dict[str, Any]) -> Any:\n        """Returns the payload to send back as {"payload": ...}; raw keeps every field."""\n        return raw.get("payload", {})`
        : `${lines}\n    def ${methodName(event)}(self, body: payloads.${typeNameOf(types, event)}) -> None:\n        print(${pythonString(`webhook: ${event.name}`)})`;
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
      : `headers.get(${pythonString(model.eventKey.name)})`;
  return `${comment('#', headerLines(model, 'Webhook handler (FastAPI): verifies the JWT with PyJWT, parses the body and dispatches each event.'))}
# Run: WEBHOOK_SECRET=... uvicorn webhook_handler:app --port 3000
import inspect
import json
import os
from typing import Any, Callable, Dict, List, Mapping, Optional, TypeVar, Union

import jwt
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

import webhook_types as payloads

MAX_BODY_BYTES = 5 * 1024 * 1024
CLOCK_TOLERANCE_SECONDS = 60
T = TypeVar("T")

# Every event the captured deliveries showed, keyed on ${describeEventKey(model.eventKey)}.
EVENT_TYPES = {
${model.events.map((event) => `    ${pythonString(event.name)}: payloads.${typeNameOf(types, event)},`).join('\n')}
}
WebhookEvent = Union[${model.events.map((event) => `payloads.${typeNameOf(types, event)}`).join(', ')}]


class Handlers:
    """Your code goes here: one method per event, keyed on ${describeEventKey(model.eventKey)}."""

${methods}

    def on_unknown_event(self, name: Optional[str], body: Any) -> None:
        print("webhook: no handler for event", repr(name))


class WebhookRejected(Exception):
    """The request is not from the sender: answered 401 with the reason."""


class ShapeMismatch(Exception):
    """The body does not match the captured shape: answered 400."""


def verify_webhook_token(authorization: Optional[str], secret: str) -> Dict[str, Any]:
    """The checks HookLens makes: bare or Bearer token, HS256 only, signature, exp/nbf/iat."""
    if not secret:
        raise WebhookRejected("No secret is configured.")
    value = (authorization or "").strip()
    if not value:
        raise WebhookRejected("The Authorization header is missing.")
    token = value[7:].strip() if value[:7].lower() == "bearer " else value
    try:
        return jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            leeway=CLOCK_TOLERANCE_SECONDS,
            options={"verify_aud": False},
        )
    except jwt.ExpiredSignatureError:
        raise WebhookRejected("The token has expired.")
    except jwt.ImmatureSignatureError:
        raise WebhookRejected("The token is not valid yet.")
    except jwt.InvalidAlgorithmError:
        raise WebhookRejected("Only HS256 tokens are accepted.")
    except jwt.InvalidSignatureError:
        raise WebhookRejected("The token signature does not match the secret.")
    except jwt.PyJWTError as error:
        raise WebhookRejected(f"The token is not valid: {error}")


def _value_at(value: Any, path: List[str]) -> Optional[str]:
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


def create_app(secret: str, handlers: Optional[Handlers] = None) -> FastAPI:
    if not secret:
        raise ValueError("The webhook secret is empty: set WEBHOOK_SECRET to the secret the sender signs with.")
    chosen = handlers or Handlers()
    app = FastAPI()

    @app.post("/{path:path}")
    async def receive(request: Request, path: str) -> JSONResponse:
        if int(request.headers.get("content-length") or 0) > MAX_BODY_BYTES:
            return JSONResponse({"error": "The body is too large."}, status_code=413)
        raw = await request.body()
        try:
            verify_webhook_token(request.headers.get("authorization"), secret)
        except WebhookRejected as rejected:
            return JSONResponse({"error": str(rejected)}, status_code=401)
        try:
            body = json.loads(raw)
        except ValueError:
            return JSONResponse({"error": "The body is not JSON."}, status_code=400)
        try:
            answer = await dispatch_webhook_event(body, request.headers, chosen)
        except ShapeMismatch as mismatch:
            return JSONResponse({"error": str(mismatch)}, status_code=400)
        return JSONResponse(answer if answer is not None else {"ok": True})

    return app


def __getattr__(name: str) -> Any:
    # "uvicorn webhook_handler:app" builds the app on first use, so importing this module (as the
    # tests do) needs no secret.
    if name == "app":
        return create_app(os.environ.get("WEBHOOK_SECRET", ""))
    raise AttributeError(name)
`;
}

function testFile(model: HandlerModel): string {
  const samples = model.events
    .flatMap((event) =>
      event.embedded.map(
        (sample) =>
          `    {"event": ${pythonString(event.name)}, "handler": ${pythonString(methodName(event))}, "body": ${pythonString(sampleText(sample.value))}, "headers": ${model.eventKey.kind === 'header' ? `{${pythonString(model.eventKey.name)}: ${pythonString(event.name)}}` : '{}'}},`,
      ),
    )
    .join('\n');
  const overrides = model.events
    .map((event) =>
      event.reply === 'watson_payload'
        ? `    def ${methodName(event)}(self, body, raw):\n        self.reached.append(${pythonString(methodName(event))})\n        return super().${methodName(event)}(body, raw)`
        : `    def ${methodName(event)}(self, body):\n        self.reached.append(${pythonString(methodName(event))})\n        return super().${methodName(event)}(body)`,
    )
    .join('\n\n');
  return `${comment('#', headerLines(model, 'Replays the captured samples (tokens and secrets removed) through the app: each must reach its typed method.'))}
# Run: python -m unittest test_webhook_handler
import time
import unittest

import jwt
from fastapi.testclient import TestClient

import webhook_handler

# A test-only secret; the samples are signed with it here, never with yours.
TEST_SECRET = ${pythonString(TEST_SECRET)}

SAMPLES = [
${samples}
]


class Recording(webhook_handler.Handlers):
    def __init__(self) -> None:
        self.reached = []

${overrides}


def sign(secret, **claims):
    now = int(time.time())
    return jwt.encode({"iat": now, "exp": now + 300, **claims}, secret, algorithm="HS256")


class ReplayTest(unittest.TestCase):
    def setUp(self) -> None:
        self.handlers = Recording()
        self.client = TestClient(webhook_handler.create_app(TEST_SECRET, self.handlers))

    def post(self, body, authorization, headers=None):
        return self.client.post(
            "/webhook",
            content=body.encode("utf-8"),
            headers={**(headers or {}), "authorization": authorization, "content-type": "application/json"},
        )

    def test_each_sample_reaches_its_method(self) -> None:
        for sample in SAMPLES:
            with self.subTest(event=sample["event"]):
                self.handlers.reached.clear()
                response = self.post(sample["body"], sign(TEST_SECRET), sample["headers"])
                self.assertEqual(response.status_code, 200, response.text)
                self.assertEqual(self.handlers.reached, [sample["handler"]])

    def test_wrong_secret_is_refused(self) -> None:
        response = self.post(SAMPLES[0]["body"], sign("not-the-secret"), SAMPLES[0]["headers"])
        self.assertEqual(response.status_code, 401)
        self.assertEqual(self.handlers.reached, [])

    def test_expired_token_is_refused(self) -> None:
        response = self.post(SAMPLES[0]["body"], sign(TEST_SECRET, exp=int(time.time()) - 3600), SAMPLES[0]["headers"])
        self.assertEqual(response.status_code, 401)

    def test_bearer_prefix_is_accepted(self) -> None:
        response = self.post(SAMPLES[0]["body"], "Bearer " + sign(TEST_SECRET), SAMPLES[0]["headers"])
        self.assertEqual(response.status_code, 200, response.text)

    def test_body_that_is_not_json_is_refused(self) -> None:
        response = self.post("{not json", sign(TEST_SECRET))
        self.assertEqual(response.status_code, 400)


if __name__ == "__main__":
    unittest.main()
`;
}
