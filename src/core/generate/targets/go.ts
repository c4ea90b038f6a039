// Go target: quicktype's structs with their Unmarshal functions (kept, not just-types: mixed-type
// arrays need its UnmarshalJSON; dependencies.md §6.1), a net/http handler verifying the JWT with
// golang-jwt, a main, a test replaying the samples through httptest, and go.mod.
import { deliveryIdSentence } from '../verification/typescript';
import { inferTypes, typeNameOf, type InferredTypes } from '../inference';
import { goString } from '../literals';
import type { EventModel, GeneratedFile, GenerationTarget, HandlerModel } from '../model';
import {
  GO_FORM,
  GO_TEXT_AT,
  goEventName,
  goHandshakes,
  goMetaHandshake,
  goTestSigning,
  goVerification,
} from '../verification/go';
import {
  describeVerification,
  environmentLines,
  redeliverySample,
  sampleHeaders,
  wireBody,
} from '../verification/shared';
import {
  comment,
  describeEventKey,
  eventCommentLines,
  headerLines,
  pointerTokens,
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
      content: `module webhookhandler\n\ngo 1.19\n${model.verification.family.kind === 'jwt' ? `\nrequire ${GO_JWT_MODULE} ${GO_JWT_VERSION}\n` : ''}`,
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
      : model.eventKey.kind === 'header'
        ? `\tif !json.Valid(raw) {\n\t\treturn nil, http.StatusBadRequest, errors.New("the body is not JSON")\n\t}\n\tname := header.Get(${goString(model.eventKey.name)})`
        : `\tdocument := decodeDocument(raw)\n\tif document == nil {\n\t\treturn nil, http.StatusBadRequest, errors.New("the body is not JSON")\n\t}\n\tname := eventName(document, header)`;
  const profile = model.verification;
  const verification = goVerification(profile);
  const handshakes = goHandshakes(profile);
  const meta = goMetaHandshake(profile);
  const needsDocument = model.eventKey.kind === 'provider' || profile.handshakes.length > 0;
  const imports = [
    ...new Set([
      'encoding/json',
      'errors',
      'fmt',
      'io',
      'log',
      'net/http',
      ...(bigIntegers ? ['regexp', 'strconv'] : []),
      ...(needsDocument ? ['strconv'] : []),
      ...(profile.forms ? ['net/url'] : []),
      'strings',
      'sync',
      'time',
      ...verification.imports,
      ...handshakes.imports,
      ...meta.imports,
    ]),
  ].sort();
  return `${comment('//', headerLines(model, `Webhook handler (net/http): ${describeVerification(profile)}, parses the body and dispatches each event.`))}

package main

import (
${imports.map((name) => `\t"${name}"`).join('\n')}
${verification.jwt ? `\n\t"${GO_JWT_MODULE}"\n` : ''})

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
${meta.code}\t\tif r.Method != http.MethodPost {
\t\t\twriteJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "send webhooks with POST"})
\t\t\treturn
\t\t}
\t\traw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
\t\tif err != nil {
\t\t\twriteJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"error": "the body is too large"})
\t\t\treturn
\t\t}
\t\tnow := time.Now()
\t\tif err := verifyWithSecrets(append([]string{secret}, PreviousSecrets...), func(key string) error { return verifyWebhook(r, raw, key, now) }); err != nil {
\t\t\twriteJSON(w, http.StatusUnauthorized, map[string]string{"error": err.Error()})
\t\t\treturn
\t\t}
${profile.forms ? `\t\tif isForm(r.Header) {\n\t\t\tif raw, err = formAsJSON(raw); err != nil {\n\t\t\t\twriteJSON(w, http.StatusBadRequest, map[string]string{"error": "the form body cannot be parsed"})\n\t\t\t\treturn\n\t\t\t}\n\t\t}\n` : ''}${handshakes.code !== '' ? `\t\tdocument := decodeDocument(raw)\n${handshakes.code}` : ''}${
    profile.batch
      ? goBatchDispatch(profile.label)
      : `\t\t// A redelivery of one already handled is answered, not handled twice.
\t\tdeliveryID := webhookDeliveryID(raw, r.Header)
\t\tif deliveryID != "" && json.Valid(raw) && Deliveries.Seen(deliveryID) {
${profile.twiml ? `\t\t\tw.Header().Set("Content-Type", "text/xml; charset=utf-8")\n\t\t\t_, _ = w.Write([]byte(\`<?xml version="1.0" encoding="UTF-8"?><Response></Response>\`))\n` : `\t\t\twriteJSON(w, http.StatusOK, map[string]bool{"ok": true, "duplicate": true})\n`}\t\t\treturn
\t\t}
\t\tanswer, status, err := dispatchWebhookEvent(raw, r.Header, handlers)
\t\tif err != nil {
\t\t\twriteJSON(w, status, map[string]string{"error": err.Error()})
\t\t\treturn
\t\t}
\t\tif deliveryID != "" {
\t\t\tDeliveries.Remember(deliveryID)
\t\t}
${profile.twiml ? `\t\tif answer == nil {\n\t\t\t// What Twilio expects back from a message or call webhook: TwiML that does nothing.\n\t\t\tw.Header().Set("Content-Type", "text/xml; charset=utf-8")\n\t\t\tw.WriteHeader(status)\n\t\t\t_, _ = w.Write([]byte(\`<?xml version="1.0" encoding="UTF-8"?><Response></Response>\`))\n\t\t\treturn\n\t\t}\n` : ''}\t\tif answer == nil {
\t\t\tanswer = map[string]bool{"ok": true}
\t\t}
\t\twriteJSON(w, status, answer)
`
  }\t})
}

${goDeliveryLog(profile, needsDocument)}
// PreviousSecrets are secrets being rotated out (WEBHOOK_SECRET_PREVIOUS): deliveries signed with
// them are accepted too until you remove them.
var PreviousSecrets []string

// verifyWithSecrets tries the current secret, then each previous one; the first that verifies
// wins, else the current secret's reason.
func verifyWithSecrets(secrets []string, verify func(secret string) error) error {
\tvar first error
\tfor _, secret := range secrets {
\t\tif secret == "" {
\t\t\tcontinue
\t\t}
\t\terr := verify(secret)
\t\tif err == nil {
\t\t\treturn nil
\t\t}
\t\tif first == nil {
\t\t\tfirst = err
\t\t}
\t}
\tif first == nil {
\t\treturn errors.New("no secret is configured")
\t}
\treturn first
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
${verification.code}${model.eventKey.kind === 'provider' ? goEventName(model.eventKey.rules) : ''}${needsDocument ? GO_TEXT_AT : ''}${profile.forms ? GO_FORM : ''}
func writeJSON(w http.ResponseWriter, status int, body interface{}) {
\tw.Header().Set("Content-Type", "application/json")
\tw.WriteHeader(status)
\t_ = json.NewEncoder(w).Encode(body)
}
`;
}

/** A batch (SendGrid): each event dispatched on its own; one already handled is skipped. */
function goBatchDispatch(label: string): string {
  return `\t\tvar events []json.RawMessage
\t\tif err := json.Unmarshal(raw, &events); err != nil {
\t\t\twriteJSON(w, http.StatusBadRequest, map[string]string{"error": ${goString(`${label} posts a JSON array of events`)}})
\t\t\treturn
\t\t}
\t\t// Each event on its own; one already handled (a retried batch repeats its events) is skipped.
\t\thandled := 0
\t\tfor _, event := range events {
\t\t\tdeliveryID := webhookDeliveryID(event, r.Header)
\t\t\tif deliveryID != "" && Deliveries.Seen(deliveryID) {
\t\t\t\tcontinue
\t\t\t}
\t\t\tif _, status, err := dispatchWebhookEvent(event, r.Header, handlers); err != nil {
\t\t\t\twriteJSON(w, status, map[string]string{"error": err.Error()})
\t\t\t\treturn
\t\t\t}
\t\t\tif deliveryID != "" {
\t\t\t\tDeliveries.Remember(deliveryID)
\t\t\t}
\t\t\thandled++
\t\t}
\t\twriteJSON(w, http.StatusOK, map[string]interface{}{"ok": true, "events": len(events), "handled": handled})
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
  const profile = model.verification;
  const settings = goVerification(profile)
    .settings.map((setting) => `\t${setting.name} = os.Getenv(${goString(setting.env)})\n`)
    .join('');
  return `${comment('//', headerLines(model, `Runs the webhook handler. ${environmentLines(profile).join(' ')}`))}

package main

import (
\t"log"
\t"net/http"
\t"os"
)

func main() {
\tsecret := os.Getenv("WEBHOOK_SECRET")
\tif secret == "" {
\t\tlog.Fatal(${goString(`set WEBHOOK_SECRET to the ${profile.label} ${profile.secretNoun}`)})
\t}
${settings}\tif previous := os.Getenv("WEBHOOK_SECRET_PREVIOUS"); previous != "" {
\t\tPreviousSecrets = []string{previous}
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
          `\t{event: ${goString(event.name)}, handler: ${goString(methodName(event))}, body: ${goString(wireBody(sample))}, headers: map[string]string{${sampleHeaders(
            model,
            event,
            sample,
          )
            .map(([name, value]) => `${goString(name)}: ${goString(value)}`)
            .join(', ')}}},`,
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
  const signing = goTestSigning(model.verification);
  const imports = [
    ...new Set([
      ...(usesRaw ? ['encoding/json'] : []),
      'io',
      'net/http',
      'net/http/httptest',
      'strings',
      'testing',
      'time',
      ...signing.imports,
    ]),
  ]
    .sort()
    // signRequest's url parameter would shadow net/url.
    .map((name) => (name === 'net/url' ? 'neturl "net/url"' : `"${name}"`));
  return `${comment('//', headerLines(model, `Replays the captured samples (tokens and secrets removed) through the handler, signed ${model.verification.label}'s way: each must reach its typed method; tampered, stale and wrongly signed deliveries get 401.`))}

package main

import (
${imports.map((line) => `\t${line}`).join('\n')}
${signing.jwt ? `\n\t"${GO_JWT_MODULE}"\n` : ''})

${signing.code}
var samples = []struct {
\tevent, handler, body string
\theaders              map[string]string
}{
${samples}
}

type recording struct {
\tStubHandlers
\treached []string
}

${overrides}

func merge(maps ...map[string]string) map[string]string {
\tall := map[string]string{}
\tfor _, each := range maps {
\t\tfor name, value := range each {
\t\t\t// Canonical names, so a later map's header replaces an earlier one written in another case.
\t\t\tall[http.CanonicalHeaderKey(name)] = value
\t\t}
\t}
\treturn all
}

func post(t *testing.T, target, body string, headers map[string]string) (int, string) {
\tt.Helper()
\trequest, err := http.NewRequest(http.MethodPost, target, strings.NewReader(body))
\tif err != nil {
\t\tt.Fatal(err)
\t}
\tfor name, value := range headers {
\t\trequest.Header.Set(name, value)
\t}
\tresponse, err := http.DefaultClient.Do(request)
\tif err != nil {
\t\tt.Fatal(err)
\t}
\tdefer response.Body.Close()
\ttext, _ := io.ReadAll(response.Body)
\treturn response.StatusCode, string(text)
}

func TestEachSampleReachesItsMethod(t *testing.T) {
${signing.setup}\thandlers := &recording{}
\tserver := httptest.NewServer(NewWebhookHandler(testSecret, handlers))
\tdefer server.Close()
\ttarget := server.URL + "/webhook"
\tfor _, sample := range samples {
\t\thandlers.reached = nil
\t\tDeliveries = NewMemoryDeliveryLog(100)
\t\tbody, headers := signRequest(sample.body, target, testSecret, time.Now())
\t\tif status, text := post(t, target, body, merge(sample.headers, headers)); status != http.StatusOK {
\t\t\tt.Fatalf("%s: status %d, want 200 (%s)", sample.event, status, text)
\t\t}
\t\tif len(handlers.reached) != 1 || handlers.reached[0] != sample.handler {
\t\t\tt.Fatalf("%s: reached %v, want [%s]", sample.event, handlers.reached, sample.handler)
\t\t}
\t}
}

func TestRefusals(t *testing.T) {
${signing.setup}\thandlers := &recording{}
\tserver := httptest.NewServer(NewWebhookHandler(testSecret, handlers))
\tdefer server.Close()
\ttarget := server.URL + "/webhook"
\tfirst := samples[0]
${signing.refusals}
\tif len(handlers.reached) > 1 {
\t\tt.Errorf("reached %v: a refused delivery reached a handler", handlers.reached)
\t}
}
${goRedeliveryTest(model, signing.setup)}${signing.extraTests}`;
}

export { fixStructTags } from '../goTypes';

function goRedeliveryTest(model: HandlerModel, setup: string): string {
  const chosen = redeliverySample(model);
  if (chosen === undefined) return '';
  const extra = chosen.header
    ? `, map[string]string{${goString(chosen.header[0])}: ${goString(chosen.header[1])}}`
    : '';
  return `
func TestRedeliveryIsNotHandledTwice(t *testing.T) {
${setup}\tDeliveries = NewMemoryDeliveryLog(100)
\thandlers := &recording{}
\tserver := httptest.NewServer(NewWebhookHandler(testSecret, handlers))
\tdefer server.Close()
\ttarget := server.URL + "/webhook"
\tsample := samples[${chosen.index}]
\tbody, signed := signRequest(sample.body, target, testSecret, time.Now())
\theaders := merge(sample.headers${extra}, signed)
\tfor attempt := 0; attempt < 2; attempt++ {
\t\tif status, text := post(t, target, body, headers); status != http.StatusOK {
\t\t\tt.Fatalf("delivery %d: status %d, want 200 (%s)", attempt+1, status, text)
\t\t}
\t}
\tif len(handlers.reached) != 1 || handlers.reached[0] != sample.handler {
\t\tt.Errorf("reached %v, want [%s] once", handlers.reached, sample.handler)
\t}
}
`;
}

/** DeliveryLog (the hook for your own store), the in-memory default and webhookDeliveryID. */
function goDeliveryLog(profile: HandlerModel['verification'], hasTextAt: boolean): string {
  const sources = profile.deliveryId;
  const readsBody = sources.some((source) => source.from === 'body');
  const reads = sources
    .map((source) =>
      source.from === 'header'
        ? `strings.TrimSpace(header.Get(${goString(source.name)}))`
        : `strings.TrimSpace(${hasTextAt ? 'textAt' : 'idAt'}(document, ${source.tokens.map(goString).join(', ')}))`,
    )
    .map((read) => `\tif id := ${read}; id != "" {\n\t\treturn id\n\t}\n`)
    .join('');
  return `// DeliveryLog remembers deliveries already handled, so a redelivery (senders retry until they see
// a 2xx, and may deliver one event twice) is answered 200 without running your code again.
// ${deliveryIdSentence(profile)}
// The default keeps the last ids in this process only (lost on restart, not shared between
// instances): set Deliveries to your own on your store (Redis SET NX, a unique key).
type DeliveryLog interface {
\tSeen(id string) bool
\tRemember(id string)
}

// Deliveries is the log the handler uses.
var Deliveries DeliveryLog = NewMemoryDeliveryLog(10000)

// MemoryDeliveryLog keeps the last capacity ids in memory; the oldest is forgotten first.
type MemoryDeliveryLog struct {
\tmu       sync.Mutex
\tids      map[string]struct{}
\torder    []string
\tcapacity int
}

// NewMemoryDeliveryLog remembers up to capacity ids.
func NewMemoryDeliveryLog(capacity int) *MemoryDeliveryLog {
\treturn &MemoryDeliveryLog{ids: map[string]struct{}{}, capacity: capacity}
}

// Seen reports whether the id was handled.
func (l *MemoryDeliveryLog) Seen(id string) bool {
\tl.mu.Lock()
\tdefer l.mu.Unlock()
\t_, found := l.ids[id]
\treturn found
}

// Remember records the id as handled.
func (l *MemoryDeliveryLog) Remember(id string) {
\tl.mu.Lock()
\tdefer l.mu.Unlock()
\tif _, found := l.ids[id]; found {
\t\treturn
\t}
\tl.ids[id] = struct{}{}
\tl.order = append(l.order, id)
\tfor len(l.order) > l.capacity {
\t\tdelete(l.ids, l.order[0])
\t\tl.order = l.order[1:]
\t}
}

// webhookDeliveryID is the provider's delivery id, the same on every redelivery ("" when none).
func webhookDeliveryID(raw []byte, header http.Header) string {
${readsBody ? '\tdocument := decodeDocument(raw)\n' : '\t_ = raw\n'}${sources.some((source) => source.from === 'header') ? '' : '\t_ = header\n'}${reads}\treturn ""
}
${
  readsBody && !hasTextAt
    ? `
// idAt is the string at the path, or "".
func idAt(document interface{}, path ...string) string {
\tfor _, key := range path {
\t\tobject, isObject := document.(map[string]interface{})
\t\tif !isObject {
\t\t\treturn ""
\t\t}
\t\tdocument = object[key]
\t}
\ttext, _ := document.(string)
\treturn text
}
`
    : ''
}`;
}
