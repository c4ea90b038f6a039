// Go target: quicktype's structs with their Unmarshal functions (kept, not just-types: mixed-type
// arrays need its UnmarshalJSON; dependencies.md §6.1), a net/http handler verifying the JWT with
// golang-jwt, a main, a test replaying the samples through httptest, and go.mod.
import { inferTypes, typeNameOf, type InferredTypes } from '../inference';
import { goString } from '../literals';
import type { EventModel, GeneratedFile, GenerationTarget, HandlerModel } from '../model';
import { sampleText } from '../samples';
import {
  comment,
  describeEventKey,
  eventCommentLines,
  headerLines,
  pointerTokens,
  TEST_SECRET,
  usesUnsafeIntegers,
} from './shared';

/** golang-jwt v4: the line Debian packages (so the output is checked here with `go vet`). */
export const GO_JWT_MODULE = 'github.com/golang-jwt/jwt/v4';
export const GO_JWT_VERSION = 'v4.5.2';

export async function goFiles(
  model: HandlerModel,
  _target: GenerationTarget,
): Promise<GeneratedFile[]> {
  const types = await inferTypes(model, 'go');
  return [
    {
      name: 'webhook_types.go',
      languageId: 'go',
      content: `${comment('//', headerLines(model, 'Types for each webhook event.'))}\n\n${types.source}`,
    },
    { name: 'handler.go', languageId: 'go', content: handlerFile(model, types) },
    { name: 'main.go', languageId: 'go', content: mainFile(model) },
    { name: 'handler_test.go', languageId: 'go', content: testFile(model, types) },
    {
      name: 'go.mod',
      languageId: 'go.mod',
      content: `module webhookhandler\n\ngo 1.19\n\nrequire ${GO_JWT_MODULE} ${GO_JWT_VERSION}\n`,
    },
  ];
}

function methodName(event: EventModel): string {
  return `On${event.stem}`;
}

/** The event body's type, under the name quicktype gave it. */
function typeName(types: InferredTypes, event: EventModel): string {
  return typeNameOf(types, event);
}

function handlerFile(model: HandlerModel, types: InferredTypes): string {
  const bigIntegers = usesUnsafeIntegers(model);
  const signatures = model.events
    .map((event) =>
      event.reply === 'watson_payload'
        ? `\t// ${methodName(event)} returns the payload to send back as {"payload": ...}; raw keeps every field.\n\t${methodName(event)}(body ${typeName(types, event)}, raw map[string]json.RawMessage) (interface{}, error)`
        : `\t${methodName(event)}(body ${typeName(types, event)}) error`,
    )
    .join('\n');
  const stubs = model.events
    .map((event) => {
      // Inside the body: gofmt would reflow an indented list in a doc comment.
      const lines = comment('//', eventCommentLines(event), '\t');
      return event.reply === 'watson_payload'
        ? `func (StubHandlers) ${methodName(event)}(body ${typeName(types, event)}, raw map[string]json.RawMessage) (interface{}, error) {\n${lines}\n\tif payload, ok := raw["payload"]; ok {\n\t\treturn payload, nil\n\t}\n\treturn map[string]interface{}{}, nil\n}`
        : `func (StubHandlers) ${methodName(event)}(body ${typeName(types, event)}) error {\n${lines}\n\tlog.Printf("webhook: %s", ${goString(event.name)})\n\treturn nil\n}`;
    })
    .join('\n\n');
  const cases = model.events
    .map((event) => {
      const decode = `\t\tbody, err := Unmarshal${typeName(types, event)}(raw)\n\t\tif err != nil {\n\t\t\treturn nil, http.StatusBadRequest, fmt.Errorf("the body does not match the captured shape of %q: %w", name, err)\n\t\t}\n`;
      const call =
        event.reply === 'watson_payload'
          ? `\t\tvar fields map[string]json.RawMessage\n\t\t_ = json.Unmarshal(raw, &fields)\n\t\tpayload, err := handlers.${methodName(event)}(body, fields)\n\t\tif err != nil {\n\t\t\treturn nil, http.StatusInternalServerError, err\n\t\t}\n\t\treturn map[string]interface{}{"payload": payload}, http.StatusOK, nil`
          : `\t\tif err := handlers.${methodName(event)}(body); err != nil {\n\t\t\treturn nil, http.StatusInternalServerError, err\n\t\t}\n\t\treturn nil, http.StatusOK, nil`;
      return `\tcase ${goString(event.name)}:\n${decode}${call}`;
    })
    .join('\n');
  const nameRead =
    model.eventKey.kind === 'pointer'
      ? `\tvar document interface{}\n\tif err := json.Unmarshal(raw, &document); err != nil {\n\t\treturn nil, http.StatusBadRequest, errors.New("the body is not JSON")\n\t}\n\tname := valueAt(document, []string{${pointerTokens(model.eventKey.pointer).map(goString).join(', ')}})`
      : `\tif !json.Valid(raw) {\n\t\treturn nil, http.StatusBadRequest, errors.New("the body is not JSON")\n\t}\n\tname := header.Get(${goString(model.eventKey.name)})`;
  const imports = [
    'encoding/json',
    'errors',
    'fmt',
    'io',
    'log',
    'net/http',
    ...(bigIntegers ? ['regexp', 'strconv'] : []),
    'strings',
    'time',
  ];
  return `${comment('//', headerLines(model, 'Webhook handler (net/http): verifies the JWT, parses the body and dispatches each event.'))}

package main

import (
${imports.map((name) => `\t"${name}"`).join('\n')}

\t"${GO_JWT_MODULE}"
)

const maxBodyBytes = 5 << 20
const clockTolerance = 60 * time.Second

// WebhookHandlers has one method per event, keyed on ${describeEventKey(model.eventKey)}.
type WebhookHandlers interface {
${signatures}
\t// OnUnknownEvent gets events the samples did not show (or a body without an event name).
\tOnUnknownEvent(name string, raw []byte) error
}

// StubHandlers is where your code goes: one method per event.
type StubHandlers struct{}

${stubs}

// OnUnknownEvent logs events no method handles.
func (StubHandlers) OnUnknownEvent(name string, raw []byte) error {
\tlog.Printf("webhook: no handler for event %q", name)
\treturn nil
}

// NewWebhookHandler answers every POST: verify, parse, dispatch.
func NewWebhookHandler(secret string, handlers WebhookHandlers) http.Handler {
\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
\t\tif r.Method != http.MethodPost {
\t\t\twriteJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "send webhooks with POST"})
\t\t\treturn
\t\t}
\t\traw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
\t\tif err != nil {
\t\t\twriteJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"error": "the body is too large"})
\t\t\treturn
\t\t}
\t\tif err := verifyWebhookToken(r.Header.Get("Authorization"), secret, time.Now()); err != nil {
\t\t\twriteJSON(w, http.StatusUnauthorized, map[string]string{"error": err.Error()})
\t\t\treturn
\t\t}
\t\tanswer, status, err := dispatchWebhookEvent(raw, r.Header, handlers)
\t\tif err != nil {
\t\t\twriteJSON(w, status, map[string]string{"error": err.Error()})
\t\t\treturn
\t\t}
\t\tif answer == nil {
\t\t\tanswer = map[string]bool{"ok": true}
\t\t}
\t\twriteJSON(w, status, answer)
\t})
}

// dispatchWebhookEvent calls the event's typed method; its result is the reply body.
func dispatchWebhookEvent(raw []byte, header http.Header, handlers WebhookHandlers) (interface{}, int, error) {
${bigIntegers ? '\traw = quoteBigIntegers(raw)\n' : ''}${nameRead}
\tswitch name {
${cases}
\tdefault:
\t\tif err := handlers.OnUnknownEvent(name, raw); err != nil {
\t\t\treturn nil, http.StatusInternalServerError, err
\t\t}
\t\treturn nil, http.StatusOK, nil
\t}
}
${model.eventKey.kind === 'pointer' ? valueAtFunction() : ''}${bigIntegers ? quoteFunction() : ''}
// verifyWebhookToken makes the checks HookLens makes: the token from Authorization (bare, as
// Watson sends it, or after "Bearer"), HS256 only, the signature, then exp, nbf and iat.
func verifyWebhookToken(authorization string, secret string, now time.Time) error {
\tif secret == "" {
\t\treturn errors.New("no secret is configured")
\t}
\tvalue := strings.TrimSpace(authorization)
\tif value == "" {
\t\treturn errors.New("the Authorization header is missing")
\t}
\ttoken := value
\tif len(value) > 7 && strings.EqualFold(value[:7], "bearer ") {
\t\ttoken = strings.TrimSpace(value[7:])
\t}
\tclaims := jwt.MapClaims{}
\tparser := jwt.NewParser(jwt.WithValidMethods([]string{"HS256"}), jwt.WithoutClaimsValidation())
\tif _, err := parser.ParseWithClaims(token, claims, func(*jwt.Token) (interface{}, error) {
\t\treturn []byte(secret), nil
\t}); err != nil {
\t\treturn fmt.Errorf("the token is not valid: %w", err)
\t}
\tseconds := float64(now.Unix())
\ttolerance := clockTolerance.Seconds()
\tfor _, name := range []string{"exp", "nbf", "iat"} {
\t\tvalue, present := claims[name]
\t\tif !present {
\t\t\tcontinue
\t\t}
\t\tat, isNumber := value.(float64)
\t\tif !isNumber {
\t\t\treturn fmt.Errorf("the token's %s claim is not a number", name)
\t\t}
\t\tif name == "exp" && at <= seconds-tolerance {
\t\t\treturn errors.New("the token has expired")
\t\t}
\t\tif name != "exp" && at > seconds+tolerance {
\t\t\treturn fmt.Errorf("the token is not valid yet (%s)", name)
\t\t}
\t}
\treturn nil
}

func writeJSON(w http.ResponseWriter, status int, body interface{}) {
\tw.Header().Set("Content-Type", "application/json")
\tw.WriteHeader(status)
\t_ = json.NewEncoder(w).Encode(body)
}
`;
}

function valueAtFunction(): string {
  return `
func valueAt(value interface{}, path []string) string {
\tfor _, key := range path {
\t\tobject, isObject := value.(map[string]interface{})
\t\tif !isObject {
\t\t\treturn ""
\t\t}
\t\tvalue = object[key]
\t}
\ttext, _ := value.(string)
\treturn text
}
`;
}

function quoteFunction(): string {
  return `
var jsonTokens = regexp.MustCompile(\`"(?:[^"\\\\]|\\\\.)*"|-?[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?\`)

// quoteBigIntegers turns integers beyond int64 into strings of their digits (the types say
// string for them), so none is silently rounded.
func quoteBigIntegers(raw []byte) []byte {
\treturn jsonTokens.ReplaceAllFunc(raw, func(token []byte) []byte {
\t\tif token[0] == '"' || strings.ContainsAny(string(token), ".eE") {
\t\t\treturn token
\t\t}
\t\tif _, err := strconv.ParseInt(string(token), 10, 64); err == nil {
\t\t\treturn token
\t\t}
\t\treturn []byte(strconv.Quote(string(token)))
\t})
}
`;
}

function mainFile(model: HandlerModel): string {
  return `${comment('//', headerLines(model, 'Runs the webhook handler. WEBHOOK_SECRET holds the secret; PORT the port (default 3000).'))}

package main

import (
\t"log"
\t"net/http"
\t"os"
)

func main() {
\tsecret := os.Getenv("WEBHOOK_SECRET")
\tif secret == "" {
\t\tlog.Fatal("set WEBHOOK_SECRET to the secret your webhook sender signs with")
\t}
\tport := os.Getenv("PORT")
\tif port == "" {
\t\tport = "3000"
\t}
\tlog.Printf("webhook handler listening on http://127.0.0.1:%s", port)
\tlog.Fatal(http.ListenAndServe("127.0.0.1:"+port, NewWebhookHandler(secret, StubHandlers{})))
}
`;
}

function testFile(model: HandlerModel, types: InferredTypes): string {
  const samples = model.events
    .flatMap((event) =>
      event.embedded.map(
        (sample) =>
          `\t{event: ${goString(event.name)}, handler: ${goString(methodName(event))}, body: ${goString(sampleText(sample.value))}, header: ${model.eventKey.kind === 'header' ? goString(event.name) : '""'}},`,
      ),
    )
    .join('\n');
  const overrides = model.events
    .map((event) =>
      event.reply === 'watson_payload'
        ? `func (r *recording) ${methodName(event)}(body ${typeName(types, event)}, raw map[string]json.RawMessage) (interface{}, error) {\n\tr.reached = append(r.reached, ${goString(methodName(event))})\n\treturn r.StubHandlers.${methodName(event)}(body, raw)\n}`
        : `func (r *recording) ${methodName(event)}(body ${typeName(types, event)}) error {\n\tr.reached = append(r.reached, ${goString(methodName(event))})\n\treturn r.StubHandlers.${methodName(event)}(body)\n}`,
    )
    .join('\n\n');
  const usesRaw = model.events.some((event) => event.reply === 'watson_payload');
  const eventHeader = model.eventKey.kind === 'header' ? goString(model.eventKey.name) : '""';
  return `${comment('//', headerLines(model, 'Replays the captured samples (tokens and secrets removed) through the handler: each must reach its typed method.'))}

package main

import (
${usesRaw ? '\t"encoding/json"\n' : ''}\t"net/http"
\t"net/http/httptest"
\t"strings"
\t"testing"
\t"time"

\t"${GO_JWT_MODULE}"
)

// testSecret is test-only; the samples are signed with it here, never with yours.
const testSecret = ${goString(TEST_SECRET)}

const eventHeader = ${eventHeader}

var samples = []struct {
\tevent, handler, body, header string
}{
${samples}
}

type recording struct {
\tStubHandlers
\treached []string
}

${overrides}

func sign(t *testing.T, secret string, claims jwt.MapClaims) string {
\tt.Helper()
\tnow := time.Now().Unix()
\tall := jwt.MapClaims{"iat": now, "exp": now + 300}
\tfor name, value := range claims {
\t\tall[name] = value
\t}
\ttoken, err := jwt.NewWithClaims(jwt.SigningMethodHS256, all).SignedString([]byte(secret))
\tif err != nil {
\t\tt.Fatal(err)
\t}
\treturn token
}

func post(t *testing.T, url, body, authorization, event string) int {
\tt.Helper()
\trequest, err := http.NewRequest(http.MethodPost, url+"/webhook", strings.NewReader(body))
\tif err != nil {
\t\tt.Fatal(err)
\t}
\trequest.Header.Set("Authorization", authorization)
\trequest.Header.Set("Content-Type", "application/json")
\tif eventHeader != "" && event != "" {
\t\trequest.Header.Set(eventHeader, event)
\t}
\tresponse, err := http.DefaultClient.Do(request)
\tif err != nil {
\t\tt.Fatal(err)
\t}
\tdefer response.Body.Close()
\treturn response.StatusCode
}

func TestEachSampleReachesItsMethod(t *testing.T) {
\thandlers := &recording{}
\tserver := httptest.NewServer(NewWebhookHandler(testSecret, handlers))
\tdefer server.Close()
\tfor _, sample := range samples {
\t\thandlers.reached = nil
\t\tif status := post(t, server.URL, sample.body, sign(t, testSecret, nil), sample.header); status != http.StatusOK {
\t\t\tt.Fatalf("%s: status %d, want 200", sample.event, status)
\t\t}
\t\tif len(handlers.reached) != 1 || handlers.reached[0] != sample.handler {
\t\t\tt.Fatalf("%s: reached %v, want [%s]", sample.event, handlers.reached, sample.handler)
\t\t}
\t}
}

func TestRefusals(t *testing.T) {
\thandlers := &recording{}
\tserver := httptest.NewServer(NewWebhookHandler(testSecret, handlers))
\tdefer server.Close()
\tfirst := samples[0]
\tif status := post(t, server.URL, first.body, sign(t, "not-the-secret", nil), first.header); status != http.StatusUnauthorized {
\t\tt.Errorf("wrong secret: status %d, want 401", status)
\t}
\tif status := post(t, server.URL, first.body, sign(t, testSecret, jwt.MapClaims{"exp": time.Now().Unix() - 3600}), first.header); status != http.StatusUnauthorized {
\t\tt.Errorf("expired token: status %d, want 401", status)
\t}
\tif status := post(t, server.URL, first.body, "Bearer "+sign(t, testSecret, nil), first.header); status != http.StatusOK {
\t\tt.Errorf("Bearer token: status %d, want 200", status)
\t}
\tif status := post(t, server.URL, "{not json", sign(t, testSecret, nil), first.header); status != http.StatusBadRequest {
\t\tt.Errorf("not JSON: status %d, want 400", status)
\t}
\tif len(handlers.reached) != 1 {
\t\tt.Errorf("reached %v, want only the Bearer request", handlers.reached)
\t}
}
`;
}

export { fixStructTags } from '../goTypes';
