// Go snippets for verification, event names and handshakes, keyed by the profile's scheme family
// (see ./typescript for the same in TypeScript). The standard library only: crypto/hmac with
// hmac.Equal, crypto/subtle, crypto/ed25519; the JWT family keeps golang-jwt, as before.
import { goString } from '../literals';
import type { NameRule, NameSource } from '../model';
import type { SchemeFamily, SignedPart, TimestampSpec, VerificationProfile } from './profile';
import {
  hasTimestamp,
  previousTestSecretFor,
  staleSeconds,
  testSecretFor,
  usesPublicUrl,
} from './shared';

const DIGEST_BYTES = { sha1: 20, sha256: 32, sha512: 64 } as const;

export interface GoVerification {
  /** Standard-library import paths the code needs. */
  readonly imports: readonly string[];
  /** True when golang-jwt is needed (the JWT family). */
  readonly jwt: boolean;
  /** verifyWebhook and its helpers. */
  readonly code: string;
  /** Package-level settings main.go fills from the environment (`VerifyToken = os.Getenv(…)`). */
  readonly settings: ReadonlyArray<{
    readonly name: string;
    readonly env: string;
    readonly doc: string;
  }>;
}

export function goVerification(profile: VerificationProfile): GoVerification {
  const family = profile.family;
  const code = familyCode(profile, family);
  const url = usesPublicUrl(profile);
  const settings = [
    ...(profile.handshakes.includes('meta_subscribe')
      ? [
          {
            name: 'VerifyToken',
            env: 'VERIFY_TOKEN',
            doc: "VerifyToken is the verify token typed in Meta's webhook settings (VERIFY_TOKEN).",
          },
        ]
      : []),
    ...(url
      ? [
          {
            name: 'PublicBaseURL',
            env: 'WEBHOOK_PUBLIC_URL',
            doc: `PublicBaseURL is the public origin ${profile.label} calls, when a proxy rewrites Host (WEBHOOK_PUBLIC_URL).`,
          },
        ]
      : []),
  ];
  const settingsCode = settings
    .map((setting) => `// ${setting.doc}\nvar ${setting.name} string\n`)
    .join('\n');
  return {
    imports: [...new Set(code.imports)],
    jwt: family.kind === 'jwt',
    code: `${settingsCode}${settingsCode === '' ? '' : '\n'}${code.code}${url ? CANDIDATE_URLS : ''}`,
    settings,
  };
}

interface FamilyCode {
  readonly imports: readonly string[];
  readonly code: string;
}

function familyCode(profile: VerificationProfile, family: SchemeFamily): FamilyCode {
  switch (family.kind) {
    case 'jwt':
      return jwtCode(family.secretMatch);
    case 'template':
      return templateCode(profile, family);
    case 'timestamped-header':
      return timestampedCode(profile, family);
    case 'standard-webhooks':
      if (family.asymmetric) return standardWebhooksEd25519Code(family.toleranceSeconds);
      return {
        imports: ['crypto/hmac', 'crypto/sha256', 'encoding/base64', 'strconv'],
        code: `// verifyWebhook checks Standard Webhooks (and Svix's svix-* names): "v1,<base64>" entries, each
// an HMAC-SHA256 of "{id}.{timestamp}.{raw body}" keyed with the base64 after "whsec_". ±${family.toleranceSeconds} s.
func verifyWebhook(r *http.Request, raw []byte, secret string, now time.Time) error {
\tprefix := "webhook"
\tif r.Header.Get("webhook-signature") == "" && r.Header.Get("svix-signature") != "" {
\t\tprefix = "svix"
\t}
\tid := strings.TrimSpace(r.Header.Get(prefix + "-id"))
\ttimestampText := strings.TrimSpace(r.Header.Get(prefix + "-timestamp"))
\tsignatures := r.Header.Get(prefix + "-signature")
\tif id == "" || timestampText == "" || signatures == "" {
\t\treturn fmt.Errorf("the %s-id, %s-timestamp or %s-signature header is missing", prefix, prefix, prefix)
\t}
\tencodedKey := strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(secret), "v1,"), "whsec_")
\tkey, err := base64.StdEncoding.DecodeString(encodedKey)
\tif err != nil {
\t\tkey, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(encodedKey, "="))
\t}
\tif err != nil || len(key) == 0 {
\t\treturn errors.New("WEBHOOK_SECRET is not whsec_ followed by base64")
\t}
\tstamp, err := strconv.ParseInt(timestampText, 10, 64)
\tif err != nil || stamp < 0 {
\t\treturn fmt.Errorf("%s-timestamp is not a Unix time in seconds", prefix)
\t}
\tseconds := float64(stamp)
${freshness({ toleranceSeconds: family.toleranceSeconds, future: true }, 'the timestamp')}\tmac := hmac.New(sha256.New, key)
\tmac.Write([]byte(id + "." + timestampText + "."))
\tmac.Write(raw)
\texpected := mac.Sum(nil)
\tfor _, entry := range strings.Split(signatures, " ") {
\t\tversion, encoded, found := strings.Cut(entry, ",")
\t\tif !found || version != "v1" {
\t\t\tcontinue
\t\t}
\t\tgiven, err := base64.StdEncoding.DecodeString(encoded)
\t\tif err == nil && hmac.Equal(given, expected) {
\t\t\treturn nil
\t\t}
\t}
\treturn errors.New("no v1 signature matches: the body changed, or the secret is not this endpoint's signing secret")
}
`,
      };
    case 'twilio':
      return {
        imports: [
          'crypto/hmac',
          'crypto/sha1',
          'crypto/sha256',
          'crypto/subtle',
          'encoding/base64',
          'encoding/hex',
          'net/url',
          'sort',
        ],
        code: `// verifyWebhook checks Twilio's X-Twilio-Signature: base64(HMAC-SHA1(Auth Token, public URL + each
// form parameter's name and value, sorted by name)). A JSON body is signed through bodySHA256 in
// the URL instead.
func verifyWebhook(r *http.Request, raw []byte, secret string, now time.Time) error {
\tif secret == "" {
\t\treturn errors.New("no secret is configured")
\t}
\tvalue := strings.TrimSpace(r.Header.Get("X-Twilio-Signature"))
\tif value == "" {
\t\treturn errors.New("the X-Twilio-Signature header is missing")
\t}
\tgiven, err := base64.StdEncoding.DecodeString(value)
\tif err != nil {
\t\treturn errors.New("X-Twilio-Signature is not base64")
\t}
\tparams := url.Values{}
\tif bodyHash := r.URL.Query().Get("bodySHA256"); bodyHash != "" {
\t\tsum := sha256.Sum256(raw)
\t\tif subtle.ConstantTimeCompare([]byte(hex.EncodeToString(sum[:])), []byte(strings.ToLower(bodyHash))) != 1 {
\t\t\treturn errors.New("the body does not match bodySHA256 in the URL")
\t\t}
\t} else if isForm(r.Header) {
\t\tparams, err = url.ParseQuery(string(raw))
\t\tif err != nil {
\t\t\treturn errors.New("the form body cannot be parsed")
\t\t}
\t}
\tnames := make([]string, 0, len(params))
\tfor name := range params {
\t\tnames = append(names, name)
\t}
\tsort.Strings(names)
\tvar signed strings.Builder
\tfor _, name := range names {
\t\tvalues := append([]string(nil), params[name]...)
\t\tsort.Strings(values)
\t\tfor index, text := range values {
\t\t\tif index > 0 && values[index-1] == text {
\t\t\t\tcontinue
\t\t\t}
\t\t\tsigned.WriteString(name + text)
\t\t}
\t}
\tfor _, candidate := range candidateURLs(r) {
\t\tmac := hmac.New(sha1.New, []byte(secret))
\t\tmac.Write([]byte(candidate + signed.String()))
\t\tif hmac.Equal(given, mac.Sum(nil)) {
\t\t\treturn nil
\t\t}
\t}
\treturn errors.New("X-Twilio-Signature does not match for any URL tried: the body changed, the Auth Token differs, or the public URL differs (set WEBHOOK_PUBLIC_URL)")
}
`,
      };
    case 'shared-token':
      return {
        imports: ['crypto/subtle'],
        code: `// verifyWebhook compares ${profile.label}'s ${family.header} (the secret token itself) in constant time.
func verifyWebhook(r *http.Request, raw []byte, secret string, now time.Time) error {
\tif secret == "" {
\t\treturn errors.New("no secret is configured")
\t}
\ttoken, present := r.Header[http.CanonicalHeaderKey(${goString(family.header)})]
\tif !present || len(token) == 0 {
\t\treturn errors.New(${goString(`the ${family.header} header is missing`)})
\t}
\tif subtle.ConstantTimeCompare([]byte(token[0]), []byte(strings.TrimSpace(secret))) != 1 {
\t\treturn errors.New(${goString(`the ${family.header} header does not match the secret token`)})
\t}
\treturn nil
}
`,
      };
    case 'ecdsa':
      return {
        imports: ['crypto/ecdsa', 'crypto/sha256', 'crypto/x509', 'encoding/base64'],
        code: `// verifyWebhook checks ${profile.label}'s ${family.header}: the base64 of a DER ECDSA P-256 /
// SHA-256 signature of ${family.timestampHeader} followed by the raw body, with the verification key
// (base64 DER public key, MFkw…). ${profile.label}'s own library applies no timestamp tolerance;
// neither does this.
func verifyWebhook(r *http.Request, raw []byte, secret string, now time.Time) error {
\tsignature, err := base64.StdEncoding.DecodeString(strings.TrimSpace(r.Header.Get(${goString(family.header)})))
\ttimestamp := strings.TrimSpace(r.Header.Get(${goString(family.timestampHeader)}))
\tif err != nil || len(signature) == 0 || timestamp == "" {
\t\treturn errors.New(${goString(`the ${family.header} or ${family.timestampHeader} header is missing or not base64`)})
\t}
\tder, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(secret), ""))
\tif err != nil {
\t\treturn errors.New("WEBHOOK_SECRET is not a verification key (the base64 DER public key, MFkw…)")
\t}
\tparsed, err := x509.ParsePKIXPublicKey(der)
\tkey, isECDSA := parsed.(*ecdsa.PublicKey)
\tif err != nil || !isECDSA {
\t\treturn errors.New("WEBHOOK_SECRET is not an ECDSA verification key")
\t}
\tdigest := sha256.Sum256(append([]byte(timestamp), raw...))
\tif !ecdsa.VerifyASN1(key, digest[:], signature) {
\t\treturn errors.New("the signature does not verify with the verification key: the body changed, or the key is not this account's")
\t}
\treturn nil
}
`,
      };
    case 'ed25519':
      return {
        imports: ['crypto/ed25519', 'encoding/hex'],
        code: `// verifyWebhook checks ${profile.label}'s Ed25519 signature over ${family.timestampHeader} + the raw body
// with the application's public key (hex).
func verifyWebhook(r *http.Request, raw []byte, secret string, now time.Time) error {
\tkey, err := hex.DecodeString(strings.TrimSpace(secret))
\tif err != nil || len(key) != ed25519.PublicKeySize {
\t\treturn errors.New("WEBHOOK_SECRET is not a public key of 64 hex digits")
\t}
\tsignature, err := hex.DecodeString(strings.TrimSpace(r.Header.Get(${goString(family.header)})))
\ttimestamp := r.Header.Get(${goString(family.timestampHeader)})
\tif err != nil || len(signature) != ed25519.SignatureSize || timestamp == "" {
\t\treturn errors.New(${goString(`the ${family.header} or ${family.timestampHeader} header is missing or malformed`)})
\t}
\tsigned := append([]byte(strings.TrimSpace(timestamp)), raw...)
\tif !ed25519.Verify(ed25519.PublicKey(key), signed, signature) {
\t\treturn errors.New("the signature does not verify with the public key")
\t}
\treturn nil
}
`,
      };
  }
}

function standardWebhooksEd25519Code(tolerance: number): FamilyCode {
  return {
    imports: ['crypto/ed25519', 'encoding/base64', 'strconv'],
    code: `// verifyWebhook checks asymmetric Standard Webhooks (and Svix's svix-* names): "v1a,<base64>"
// entries, each an Ed25519 signature of "{id}.{timestamp}.{raw body}", checked with the public key
// after "whpk_". ±${tolerance} s.
func verifyWebhook(r *http.Request, raw []byte, secret string, now time.Time) error {
\tprefix := "webhook"
\tif r.Header.Get("webhook-signature") == "" && r.Header.Get("svix-signature") != "" {
\t\tprefix = "svix"
\t}
\tid := strings.TrimSpace(r.Header.Get(prefix + "-id"))
\ttimestampText := strings.TrimSpace(r.Header.Get(prefix + "-timestamp"))
\tsignatures := r.Header.Get(prefix + "-signature")
\tif id == "" || timestampText == "" || signatures == "" {
\t\treturn fmt.Errorf("the %s-id, %s-timestamp or %s-signature header is missing", prefix, prefix, prefix)
\t}
\tencodedKey := strings.TrimSpace(secret)
\tif !strings.HasPrefix(encodedKey, "whpk_") {
\t\treturn errors.New("WEBHOOK_SECRET is not whpk_ followed by the base64 of an Ed25519 public key")
\t}
\tkey, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(encodedKey, "whpk_"))
\tif err != nil || len(key) != ed25519.PublicKeySize {
\t\treturn errors.New("WEBHOOK_SECRET is not whpk_ followed by the base64 of a 32-byte Ed25519 public key")
\t}
\tstamp, err := strconv.ParseInt(timestampText, 10, 64)
\tif err != nil || stamp < 0 {
\t\treturn fmt.Errorf("%s-timestamp is not a Unix time in seconds", prefix)
\t}
\tseconds := float64(stamp)
${freshness({ toleranceSeconds: tolerance, future: true }, 'the timestamp')}\tsigned := append([]byte(id+"."+timestampText+"."), raw...)
\tfor _, entry := range strings.Split(signatures, " ") {
\t\tversion, encoded, found := strings.Cut(entry, ",")
\t\tif !found || version != "v1a" {
\t\t\tcontinue
\t\t}
\t\tsignature, err := base64.StdEncoding.DecodeString(encoded)
\t\tif err == nil && len(signature) == ed25519.SignatureSize && ed25519.Verify(ed25519.PublicKey(key), signed, signature) {
\t\t\treturn nil
\t\t}
\t}
\treturn errors.New("no v1a signature verifies: the body changed, or the key is not this endpoint's public key")
}
`,
  };
}

function jwtCode(secretMatch: boolean): FamilyCode {
  return {
    imports: secretMatch ? ['crypto/subtle'] : [],
    code: `// verifyWebhook checks the JWT in Authorization${secretMatch ? ', or the secret itself (the samples sent it that way)' : ''}.
func verifyWebhook(r *http.Request, raw []byte, secret string, now time.Time) error {
${
  secretMatch
    ? `\tbare := strings.TrimSpace(r.Header.Get("Authorization"))
\tif len(bare) > 7 && strings.EqualFold(bare[:7], "bearer ") {
\t\tbare = strings.TrimSpace(bare[7:])
\t}
\tif secret != "" && subtle.ConstantTimeCompare([]byte(bare), []byte(secret)) == 1 {
\t\treturn nil
\t}
`
    : ''
}\treturn verifyWebhookToken(r.Header.Get("Authorization"), secret, now)
}

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
`,
  };
}

function freshness(spec: { toleranceSeconds: number; future: boolean }, name: string): string {
  return `\tage := float64(now.UnixNano())/1e9 - seconds
\tif age > ${spec.toleranceSeconds} {
\t\treturn fmt.Errorf("${name} is %.0f s old; more than ${spec.toleranceSeconds} s is refused (a replay?)", age)
\t}
${
  spec.future
    ? `\tif -age > ${spec.toleranceSeconds} {
\t\treturn errors.New(${goString(`${name} is more than ${spec.toleranceSeconds} s in the future`)})
\t}
`
    : ''
}`;
}

function secondsLines(
  unit: TimestampSpec['unit'],
  name: string,
): { code: string; imports: string[] } {
  const message = goString(
    `the ${name} timestamp is missing or not ${unit === 'rfc3339' ? 'an RFC 3339 time' : `a Unix time in ${unit}`}`,
  );
  if (unit === 'rfc3339') {
    return {
      imports: [],
      code: `\tmoment, err := time.Parse(time.RFC3339Nano, timestampText)
\tif err != nil {
\t\treturn errors.New(${message})
\t}
\tseconds := float64(moment.UnixNano()) / 1e9
`,
    };
  }
  return {
    imports: ['strconv'],
    code: `\tstamp, err := strconv.ParseInt(timestampText, 10, 64)
\tif err != nil || stamp < 0 {
\t\treturn errors.New(${message})
\t}
\tseconds := float64(stamp)${unit === 'milliseconds' ? ' / 1000' : ''}
`,
  };
}

function partWrite(part: SignedPart): string {
  switch (part.kind) {
    case 'literal':
      return `mac.Write([]byte(${goString(part.text)}))`;
    case 'body':
      return 'mac.Write(raw)';
    case 'timestamp':
      return 'mac.Write([]byte(timestampText))';
    case 'id':
      return 'mac.Write([]byte(id))';
    case 'url':
      return 'mac.Write([]byte(candidate))';
  }
}

const HASH_PACKAGE = {
  sha1: 'crypto/sha1',
  sha256: 'crypto/sha256',
  sha512: 'crypto/sha512',
} as const;

function templateCode(
  profile: VerificationProfile,
  family: Extract<SchemeFamily, { kind: 'template' }>,
): FamilyCode {
  const main = family.headers[0]!;
  const bytes = DIGEST_BYTES[family.algorithm];
  const imports: string[] = [
    'crypto/hmac',
    HASH_PACKAGE[family.algorithm],
    family.encoding === 'hex' ? 'encoding/hex' : 'encoding/base64',
  ];
  let helpers = '';
  if (family.timestamp?.bodyField !== undefined) {
    helpers += `// bodyField is a top-level field of the JSON body as text (a number or a string), or "".
func bodyField(raw []byte, name string) string {
\tdecoder := json.NewDecoder(strings.NewReader(string(raw)))
\tdecoder.UseNumber()
\tvar document map[string]interface{}
\tif decoder.Decode(&document) != nil {
\t\treturn ""
\t}
\tswitch value := document[name].(type) {
\tcase json.Number:
\t\treturn value.String()
\tcase string:
\t\treturn value
\t}
\treturn ""
}

`;
  }
  const url = family.parts.some((part) => part.kind === 'url');
  const decode =
    family.encoding === 'hex'
      ? `hex.DecodeString(value[${family.prefix.length}:])`
      : `base64.StdEncoding.DecodeString(value[${family.prefix.length}:])`;
  let body = `// signatureHeaders may carry ${profile.label}'s signature; the first present is read.
var signatureHeaders = []string{${family.headers.map(goString).join(', ')}}

// verifyWebhook checks ${main} = ${family.prefix}${family.encoding}(HMAC-${family.algorithm.toUpperCase()}(secret, ${family.parts.map(describePart).join(' + ')})).
func verifyWebhook(r *http.Request, raw []byte, secret string, now time.Time) error {
\tif secret == "" {
\t\treturn errors.New("no secret is configured")
\t}
\tvalue := ""
\tfor _, name := range signatureHeaders {
\t\tif found := strings.TrimSpace(r.Header.Get(name)); found != "" {
\t\t\tvalue = found
\t\t\tbreak
\t\t}
\t}
\tif value == "" {
\t\treturn errors.New(${goString(`the ${main} header is missing`)})
\t}
`;
  if (family.prefix !== '') {
    body += `\tif !strings.HasPrefix(strings.ToLower(value), ${goString(family.prefix.toLowerCase())}) {
\t\treturn errors.New(${goString(`the ${main} header does not start with ${family.prefix}`)})
\t}
`;
  }
  body += `\tgiven, err := ${decode}
\tif err != nil || len(given) != ${bytes} {
\t\treturn errors.New(${goString(`the ${main} header is not ${family.prefix}followed by the ${family.encoding} of an HMAC-${family.algorithm.toUpperCase()}`)})
\t}
`;
  if (family.timestamp !== undefined) {
    const spec = family.timestamp;
    const fromHeader =
      spec.header === undefined
        ? '""'
        : `strings.TrimSpace(r.Header.Get(${goString(spec.header)}))`;
    const name = spec.bodyField ?? spec.header ?? 'timestamp';
    if (spec.bodyField !== undefined) {
      body += `\ttimestampText := bodyField(raw, ${goString(spec.bodyField)})
\tif timestampText == "" {
\t\ttimestampText = ${fromHeader}
\t}
`;
    } else {
      body += `\ttimestampText := ${fromHeader}\n`;
    }
    const seconds = secondsLines(spec.unit, name);
    imports.push(...seconds.imports);
    body += `${seconds.code}${freshness(spec, `the ${name} timestamp`)}`;
  }
  if (family.idHeader !== undefined) {
    body += `\tid := strings.TrimSpace(r.Header.Get(${goString(family.idHeader)}))
\tif id == "" {
\t\treturn errors.New(${goString(`the ${family.idHeader} header is missing`)})
\t}
`;
  }
  const writes = family.parts
    .map((part) => `\t\tmac.Write(${partWrite(part).slice('mac.Write('.length)}`)
    .join('\n');
  body += url
    ? `\tfor _, candidate := range candidateURLs(r) {
\t\tmac := hmac.New(${family.algorithm}.New, []byte(secret))
${writes.replace(/^\t\t/gm, '\t\t')}
\t\tif hmac.Equal(given, mac.Sum(nil)) {
\t\t\treturn nil
\t\t}
\t}
\treturn errors.New(${goString(`${main} does not match for any URL tried: the body changed, the secret is not ${profile.label}'s, or the public URL differs (set WEBHOOK_PUBLIC_URL)`)})
}
`
    : `\tmac := hmac.New(${family.algorithm}.New, []byte(secret))
${writes.replace(/^\t\t/gm, '\t')}
\tif !hmac.Equal(given, mac.Sum(nil)) {
\t\treturn errors.New(${goString(`${main} does not match: the body changed, or the secret is not the ${profile.label} ${profile.secretNoun}`)})
\t}
\treturn nil
}
`;
  return { imports, code: `${helpers}${body}` };
}

function describePart(part: SignedPart): string {
  return part.kind === 'literal'
    ? JSON.stringify(part.text)
    : part.kind === 'body'
      ? 'raw body'
      : part.kind;
}

function timestampedCode(
  profile: VerificationProfile,
  family: Extract<SchemeFamily, { kind: 'timestamped-header' }>,
): FamilyCode {
  const { header: name, timestampKey: t, signatureKey: v } = family;
  return {
    imports: ['crypto/hmac', 'crypto/sha256', 'encoding/hex', 'strconv'],
    code: `// verifyWebhook checks ${name} = ${t}=<unix seconds>${family.itemSeparator}${v}=<hex>[${family.itemSeparator}${v}=...], each ${v} an
// HMAC-SHA256 of "{${t}}${family.contentSeparator}{raw body}" keyed with the secret exactly as given${profile.provider === 'stripe' ? ' (the whole whsec_ string)' : ''}.
// Every ${v} is tried (there are several while a secret rolls); other keys are ignored.
func verifyWebhook(r *http.Request, raw []byte, secret string, now time.Time) error {
\tif secret == "" {
\t\treturn errors.New("no secret is configured")
\t}
\tvalue := r.Header.Get(${goString(name)})
\tif value == "" {
\t\treturn errors.New(${goString(`the ${name} header is missing`)})
\t}
\ttimestampText := ""
\tvar signatures [][]byte
\tfor _, item := range strings.Split(value, ${goString(family.itemSeparator)}) {
\t\tkey, text, found := strings.Cut(item, "=")
\t\tif !found {
\t\t\tcontinue
\t\t}
\t\tkey, text = strings.TrimSpace(key), strings.TrimSpace(text)
\t\tif key == ${goString(t)} {
\t\t\ttimestampText = text
\t\t} else if signature, err := hex.DecodeString(text); key == ${goString(v)} && err == nil && len(signature) == 32 {
\t\t\tsignatures = append(signatures, signature)
\t\t}
\t}
\tstamp, err := strconv.ParseInt(timestampText, 10, 64)
\tif err != nil || stamp < 0 {
\t\treturn errors.New(${goString(`${name} has no ${t}= timestamp`)})
\t}
\tif len(signatures) == 0 {
\t\treturn errors.New(${goString(`${name} has no ${v}= signature`)})
\t}
\tmac := hmac.New(sha256.New, []byte(secret))
\tmac.Write([]byte(timestampText + ${goString(family.contentSeparator)}))
\tmac.Write(raw)
\texpected := mac.Sum(nil)
\tmatched := false
\tfor _, signature := range signatures {
\t\tif hmac.Equal(signature, expected) {
\t\t\tmatched = true
\t\t}
\t}
\tif !matched {
\t\treturn errors.New(${goString(`no ${v} signature in ${name} matches: the body changed, or the secret is not the ${profile.label} ${profile.secretNoun}`)})
\t}
\tseconds := float64(stamp)
${freshness({ toleranceSeconds: family.toleranceSeconds, future: false }, `the ${name} timestamp`)}\treturn nil
}
`,
  };
}

const CANDIDATE_URLS = `
// candidateURLs are the URLs the sender may have signed: the configured public origin, then the
// Host header's (X-Forwarded-Host/-Proto when a proxy sets them), each as is, with and without
// the default port.
func candidateURLs(r *http.Request) []string {
\tvar origins []string
\tif PublicBaseURL != "" {
\t\torigins = append(origins, strings.TrimRight(PublicBaseURL, "/"))
\t}
\thost := r.Header.Get("X-Forwarded-Host")
\tif host == "" {
\t\thost = r.Host
\t}
\tif host != "" {
\t\tproto := strings.TrimSpace(strings.Split(r.Header.Get("X-Forwarded-Proto"), ",")[0])
\t\tif proto == "http" || proto == "https" {
\t\t\torigins = append(origins, proto+"://"+host)
\t\t}
\t\torigins = append(origins, "https://"+host, "http://"+host)
\t}
\tseen := map[string]bool{}
\tvar urls []string
\tadd := func(candidate string) {
\t\tif !seen[candidate] {
\t\t\tseen[candidate] = true
\t\t\turls = append(urls, candidate)
\t\t}
\t}
\tfor _, origin := range origins {
\t\tscheme, authority, _ := strings.Cut(origin, "://")
\t\tname, _, hasPort := strings.Cut(authority, ":")
\t\tadd(origin + r.RequestURI)
\t\tif hasPort {
\t\t\tadd(scheme + "://" + name + r.RequestURI)
\t\t} else if strings.EqualFold(scheme, "https") {
\t\t\tadd(origin + ":443" + r.RequestURI)
\t\t} else {
\t\t\tadd(origin + ":80" + r.RequestURI)
\t\t}
\t}
\treturn urls
}
`;

/** `eventName(document, header)`: the provider's event name, as HookLens named the samples. */
export function goEventName(rules: readonly NameRule[]): string {
  const source = (item: NameSource): string =>
    item.from === 'header'
      ? `header.Get(${goString(item.name)})`
      : `textAt(document, ${item.tokens.map(goString).join(', ')})`;
  const firstOf = (sources: readonly NameSource[], indent: string, variable: string): string => {
    if (sources.length === 0) return `${indent}${variable} := ""\n`;
    const [head, ...rest] = sources;
    let out = `${indent}${variable} := ${source(head!)}\n`;
    for (const next of rest)
      out += `${indent}if ${variable} == "" {\n${indent}\t${variable} = ${source(next)}\n${indent}}\n`;
    return out;
  };
  const blocks = rules.map((rule) => {
    const indent = '\t\t';
    let inner =
      rule.constant !== undefined
        ? `${indent}main := ${goString(rule.constant)}\n`
        : firstOf(rule.sources ?? [], indent, 'main');
    const prefix = rule.prefix ? `${goString(rule.prefix)} + ` : '';
    if (rule.suffix) {
      inner += firstOf(rule.suffix.sources, indent, 'suffix');
      inner += `${indent}if main != "" && suffix != "" {\n${indent}\treturn ${prefix}main + ${goString(rule.suffix.separator)} + suffix\n${indent}}\n`;
    }
    inner += `${indent}if main != "" {\n${indent}\treturn ${prefix}main\n${indent}}\n`;
    const open = rule.guard
      ? `\tif ${source(rule.guard.source)} == ${goString(rule.guard.equals)} {`
      : '\t{';
    return `${open}\n${inner}\t}`;
  });
  const readsHeaders = rules.some((rule) =>
    [
      ...(rule.sources ?? []),
      ...(rule.suffix?.sources ?? []),
      ...(rule.guard ? [rule.guard.source] : []),
    ].some((item) => item.from === 'header'),
  );
  const readsBody = rules.some((rule) =>
    [
      ...(rule.sources ?? []),
      ...(rule.suffix?.sources ?? []),
      ...(rule.guard ? [rule.guard.source] : []),
    ].some((item) => item.from === 'body'),
  );
  return `
// eventName reads the event name the way HookLens named the samples.
func eventName(document interface{}, header http.Header) string {
${readsHeaders ? '' : '\t_ = header\n'}${readsBody ? '' : '\t_ = document\n'}${blocks.join('\n')}
\treturn ""
}
`;
}

/** textAt: a string (or a whole number, as text) at a path of a UseNumber-decoded document. */
export const GO_TEXT_AT = `
// textAt is the string (or whole number, as text) at the path, or "".
func textAt(document interface{}, path ...string) string {
\tfor _, key := range path {
\t\tswitch node := document.(type) {
\t\tcase map[string]interface{}:
\t\t\tdocument = node[key]
\t\tcase []interface{}:
\t\t\tindex, err := strconv.Atoi(key)
\t\t\tif err != nil || index < 0 || index >= len(node) {
\t\t\t\treturn ""
\t\t\t}
\t\t\tdocument = node[index]
\t\tdefault:
\t\t\treturn ""
\t\t}
\t}
\tswitch value := document.(type) {
\tcase string:
\t\treturn value
\tcase json.Number:
\t\tif _, err := value.Int64(); err == nil {
\t\t\treturn value.String()
\t\t}
\t}
\treturn ""
}

// decodeDocument decodes JSON keeping numbers exact (json.Number), or nil.
func decodeDocument(raw []byte) interface{} {
\tdecoder := json.NewDecoder(strings.NewReader(string(raw)))
\tdecoder.UseNumber()
\tvar document interface{}
\tif decoder.Decode(&document) != nil {
\t\treturn nil
\t}
\treturn document
}
`;

/** Statements in the handler answering signed handshakes (`document`, `r`, `w`, `secret` in scope). */
export function goHandshakes(profile: VerificationProfile): { code: string; imports: string[] } {
  const out: string[] = [];
  const imports: string[] = [];
  for (const handshake of profile.handshakes) {
    if (handshake === 'slack_url_verification') {
      out.push(`\t\t// Slack checks the Events API URL with a signed url_verification: echo the challenge.
\t\tif textAt(document, "type") == "url_verification" {
\t\t\twriteJSON(w, http.StatusOK, map[string]string{"challenge": textAt(document, "challenge")})
\t\t\treturn
\t\t}`);
    } else if (handshake === 'discord_ping') {
      out.push(`\t\t// Discord's PING (type 1), signed like every interaction: answer PONG.
\t\tif textAt(document, "type") == "1" {
\t\t\twriteJSON(w, http.StatusOK, map[string]int{"type": 1})
\t\t\treturn
\t\t}`);
    } else if (handshake === 'zoom_url_validation') {
      imports.push('crypto/hmac', 'crypto/sha256', 'encoding/hex');
      out.push(`\t\t// Zoom validates the endpoint: plainToken back with its HMAC-SHA256 (hex) under the secret.
\t\tif textAt(document, "event") == "endpoint.url_validation" {
\t\t\tplainToken := textAt(document, "payload", "plainToken")
\t\t\tmac := hmac.New(sha256.New, []byte(secret))
\t\t\tmac.Write([]byte(plainToken))
\t\t\twriteJSON(w, http.StatusOK, map[string]string{"plainToken": plainToken, "encryptedToken": hex.EncodeToString(mac.Sum(nil))})
\t\t\treturn
\t\t}`);
    } else if (handshake === 'twitch_verification') {
      out.push(`\t\t// Twitch confirms the subscription: answer the challenge as plain text.
\t\tif r.Header.Get("Twitch-Eventsub-Message-Type") == "webhook_callback_verification" {
\t\t\tw.Header().Set("Content-Type", "text/plain; charset=utf-8")
\t\t\tw.WriteHeader(http.StatusOK)
\t\t\t_, _ = w.Write([]byte(textAt(document, "challenge")))
\t\t\treturn
\t\t}`);
    }
  }
  return { code: out.length === 0 ? '' : `${out.join('\n')}\n`, imports };
}

/** Meta's unsigned subscription GET, answered before the POST check (`r`, `w` in scope). */
export function goMetaHandshake(profile: VerificationProfile): { code: string; imports: string[] } {
  if (!profile.handshakes.includes('meta_subscribe')) return { code: '', imports: [] };
  return {
    imports: ['crypto/subtle'],
    code: `\t\t// Meta checks the endpoint with an unsigned GET carrying the verify token you chose.
\t\tif r.Method == http.MethodGet && r.URL.Query().Get("hub.mode") == "subscribe" {
\t\t\ttoken := r.URL.Query().Get("hub.verify_token")
\t\t\tif VerifyToken == "" || subtle.ConstantTimeCompare([]byte(token), []byte(VerifyToken)) != 1 {
\t\t\t\twriteJSON(w, http.StatusForbidden, map[string]string{"error": "the verify token does not match VERIFY_TOKEN"})
\t\t\t\treturn
\t\t\t}
\t\t\tw.Header().Set("Content-Type", "text/plain; charset=utf-8")
\t\t\tw.WriteHeader(http.StatusOK)
\t\t\t_, _ = w.Write([]byte(r.URL.Query().Get("hub.challenge")))
\t\t\treturn
\t\t}
`,
  };
}

/** A form body as JSON for the typed Unmarshal functions (`payload` JSON, else the fields). */
export const GO_FORM = `
// isForm tells an application/x-www-form-urlencoded body.
func isForm(header http.Header) bool {
\tmediaType := strings.TrimSpace(strings.Split(header.Get("Content-Type"), ";")[0])
\treturn strings.EqualFold(mediaType, "application/x-www-form-urlencoded")
}

// formAsJSON turns a form body into the JSON the typed functions read: a payload field holding a
// JSON object is the document (Slack interactivity, GitHub's form type), else the fields (first
// value of each).
func formAsJSON(raw []byte) ([]byte, error) {
\tfields, err := url.ParseQuery(string(raw))
\tif err != nil {
\t\treturn nil, err
\t}
\tif payload := fields.Get("payload"); payload != "" {
\t\tvar document map[string]json.RawMessage
\t\tif json.Unmarshal([]byte(payload), &document) == nil {
\t\t\treturn []byte(payload), nil
\t\t}
\t}
\tobject := map[string]string{}
\tfor name, values := range fields {
\t\tif len(values) > 0 {
\t\t\tobject[name] = values[0]
\t\t}
\t}
\treturn json.Marshal(object)
}
`;

// ---------------------------------------------------------------------------------------------
// The generated test (httptest): signing the provider's way, in Go.

export interface GoTestSigning {
  readonly imports: readonly string[];
  readonly jwt: boolean;
  /** Package-level declarations: the test secret (or keys) and signRequest. */
  readonly code: string;
  /** Statements before the server starts (VerifyToken = …). */
  readonly setup: string;
  /** Checks in TestRefusals (server, first sample in scope). */
  readonly refusals: string;
  /** Extra test functions (handshakes). */
  readonly extraTests: string;
}

export function goTestSigning(profile: VerificationProfile): GoTestSigning {
  const family = profile.family;
  const imports = new Set<string>(['crypto/hmac', 'crypto/sha256']);
  let secrets = `// testSecret is test-only; the samples are signed with it here, never with yours.
const testSecret = ${goString(testSecretFor(family))}

// otherSecret signs the deliveries that must be refused.
const otherSecret = ${goString(family.kind === 'standard-webhooks' ? `whsec_${Buffer.from('not-the-secret').toString('base64')}` : 'not-the-secret')}

// previousSecret is being rotated out (WEBHOOK_SECRET_PREVIOUS): still accepted.
const previousSecret = ${goString(previousTestSecretFor(family))}
`;
  let sign: string;
  let jwt = false;
  switch (family.kind) {
    case 'jwt':
      jwt = true;
      imports.delete('crypto/hmac');
      imports.delete('crypto/sha256');
      sign = `\ttoken, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iat": now.Unix(), "exp": now.Unix() + 300}).SignedString([]byte(secret))
\tif err != nil {
\t\tpanic(err)
\t}
\treturn body, map[string]string{"Authorization": token}`;
      break;
    case 'template': {
      imports.delete('crypto/sha256');
      imports.add(HASH_PACKAGE[family.algorithm]);
      imports.add(family.encoding === 'hex' ? 'encoding/hex' : 'encoding/base64');
      const spec = family.timestamp;
      const lines: string[] = [];
      if (spec !== undefined) {
        if (spec.unit !== 'rfc3339') imports.add('strconv');
        lines.push(
          spec.unit === 'seconds'
            ? '\ttimestampText := strconv.FormatInt(now.Unix(), 10)'
            : spec.unit === 'milliseconds'
              ? '\ttimestampText := strconv.FormatInt(now.UnixMilli(), 10)'
              : '\ttimestampText := now.UTC().Format(time.RFC3339Nano)',
        );
        if (spec.bodyField !== undefined) {
          imports.add('regexp');
          lines.push(
            `\t// The timestamp travels in the signed body: bring it up to date.\n\tbody = regexp.MustCompile(\`"${spec.bodyField}":\\s*[0-9]+\`).ReplaceAllLiteralString(body, \`"${spec.bodyField}":\`+timestampText)`,
          );
        }
      }
      if (family.idHeader !== undefined)
        lines.push('\tid := strconv.FormatInt(now.UnixNano(), 10)');
      if (family.idHeader !== undefined) imports.add('strconv');
      const usesUrl = family.parts.some((part) => part.kind === 'url');
      lines.push(`\tmac := hmac.New(${family.algorithm}.New, []byte(secret))`);
      for (const part of family.parts) {
        lines.push(
          `\tmac.Write([]byte(${part.kind === 'literal' ? goString(part.text) : part.kind === 'body' ? 'body' : part.kind === 'timestamp' ? 'timestampText' : part.kind === 'id' ? 'id' : 'url'}))`,
        );
      }
      if (!usesUrl) lines.push('\t_ = url');
      const encoded =
        family.encoding === 'hex'
          ? 'hex.EncodeToString(mac.Sum(nil))'
          : 'base64.StdEncoding.EncodeToString(mac.Sum(nil))';
      const headers = [
        `${goString(family.headers[0]!)}: ${goString(family.prefix)} + ${encoded}`,
        ...(spec?.header !== undefined ? [`${goString(spec.header)}: timestampText`] : []),
        ...(family.idHeader !== undefined ? [`${goString(family.idHeader)}: id`] : []),
      ];
      lines.push(`\treturn body, map[string]string{${headers.join(', ')}}`);
      sign = lines.join('\n');
      break;
    }
    case 'timestamped-header':
      imports.add('encoding/hex');
      imports.add('strconv');
      sign = `\t_ = url
\tstamp := strconv.FormatInt(now.Unix(), 10)
\tmac := hmac.New(sha256.New, []byte(secret))
\tmac.Write([]byte(stamp + ${goString(family.contentSeparator)} + body))
\treturn body, map[string]string{${goString(family.header)}: ${goString(`${family.timestampKey}=`)} + stamp + ${goString(`${family.itemSeparator}${family.signatureKey}=`)} + hex.EncodeToString(mac.Sum(nil))}`;
      break;
    case 'standard-webhooks':
      imports.add('encoding/base64');
      imports.add('strconv');
      if (family.asymmetric) {
        imports.delete('crypto/hmac');
        imports.delete('crypto/sha256');
        imports.add('crypto/ed25519');
        secrets = `// testKeys are test-only: the handler gets each public key as WEBHOOK_SECRET would hold it (whpk_…).
var testKeys = map[string]ed25519.PrivateKey{}

var testSecret, otherSecret, previousSecret = newTestKey(), newTestKey(), newTestKey()

func newTestKey() string {
\tpublic, private, err := ed25519.GenerateKey(nil)
\tif err != nil {
\t\tpanic(err)
\t}
\tname := "whpk_" + base64.StdEncoding.EncodeToString(public)
\ttestKeys[name] = private
\treturn name
}
`;
        sign = `\t_ = url
\tstamp := strconv.FormatInt(now.Unix(), 10)
\tid := "msg_" + stamp
\tsignature := ed25519.Sign(testKeys[secret], []byte(id+"."+stamp+"."+body))
\treturn body, map[string]string{"webhook-id": id, "webhook-timestamp": stamp, "webhook-signature": "v1a," + base64.StdEncoding.EncodeToString(signature)}`;
        break;
      }
      sign = `\t_ = url
\tstamp := strconv.FormatInt(now.Unix(), 10)
\tid := "msg_" + stamp
\tkey, err := base64.StdEncoding.DecodeString(secret[len("whsec_"):])
\tif err != nil {
\t\tpanic(err)
\t}
\tmac := hmac.New(sha256.New, key)
\tmac.Write([]byte(id + "." + stamp + "." + body))
\treturn body, map[string]string{"webhook-id": id, "webhook-timestamp": stamp, "webhook-signature": "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))}`;
      break;
    case 'twilio':
      imports.delete('crypto/sha256');
      imports.add('crypto/sha1');
      imports.add('encoding/base64');
      imports.add('net/url');
      imports.add('sort');
      sign = `\t_ = now
\t// A form's parameters are signed; a JSON body (the "not JSON" test's included) signs the URL only.
\tsigned := url
\tif trimmed := strings.TrimSpace(body); !strings.HasPrefix(trimmed, "{") && !strings.HasPrefix(trimmed, "[") {
\t\tparams, err := neturl.ParseQuery(body)
\t\tif err != nil {
\t\t\tpanic(err)
\t\t}
\t\tnames := make([]string, 0, len(params))
\t\tfor name := range params {
\t\t\tnames = append(names, name)
\t\t}
\t\tsort.Strings(names)
\t\tfor _, name := range names {
\t\t\tsigned += name + params.Get(name)
\t\t}
\t}
\tmac := hmac.New(sha1.New, []byte(secret))
\tmac.Write([]byte(signed))
\treturn body, map[string]string{"X-Twilio-Signature": base64.StdEncoding.EncodeToString(mac.Sum(nil))}`;
      break;
    case 'shared-token':
      imports.delete('crypto/hmac');
      imports.delete('crypto/sha256');
      sign = `\t_, _ = url, now
\treturn body, map[string]string{${goString(family.header)}: secret}`;
      break;
    case 'ecdsa':
      imports.delete('crypto/hmac');
      imports.add('crypto/ecdsa');
      imports.add('crypto/elliptic');
      imports.add('crypto/rand');
      imports.add('crypto/x509');
      imports.add('encoding/base64');
      imports.add('strconv');
      secrets = `// testKeys are test-only P-256 keys: the handler gets each public key as WEBHOOK_SECRET would hold it.
var testKeys = map[string]*ecdsa.PrivateKey{}

var testSecret, otherSecret, previousSecret = newTestKey(), newTestKey(), newTestKey()

func newTestKey() string {
\tprivate, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
\tif err != nil {
\t\tpanic(err)
\t}
\tder, err := x509.MarshalPKIXPublicKey(&private.PublicKey)
\tif err != nil {
\t\tpanic(err)
\t}
\tname := base64.StdEncoding.EncodeToString(der)
\ttestKeys[name] = private
\treturn name
}
`;
      sign = `\t_ = url
\tstamp := strconv.FormatInt(now.Unix(), 10)
\tdigest := sha256.Sum256([]byte(stamp + body))
\tsignature, err := ecdsa.SignASN1(rand.Reader, testKeys[secret], digest[:])
\tif err != nil {
\t\tpanic(err)
\t}
\treturn body, map[string]string{${goString(family.header)}: base64.StdEncoding.EncodeToString(signature), ${goString(family.timestampHeader)}: stamp}`;
      break;
    case 'ed25519':
      imports.delete('crypto/hmac');
      imports.delete('crypto/sha256');
      imports.add('crypto/ed25519');
      imports.add('encoding/hex');
      imports.add('strconv');
      secrets = `// testKeys are test-only: the handler gets the public key as WEBHOOK_SECRET would hold it.
var testKeys = map[string]ed25519.PrivateKey{}

var testSecret, otherSecret, previousSecret = newTestKey(), newTestKey(), newTestKey()

func newTestKey() string {
\tpublic, private, err := ed25519.GenerateKey(nil)
\tif err != nil {
\t\tpanic(err)
\t}
\tname := hex.EncodeToString(public)
\ttestKeys[name] = private
\treturn name
}
`;
      sign = `\t_ = url
\tstamp := strconv.FormatInt(now.Unix(), 10)
\tsignature := ed25519.Sign(testKeys[secret], []byte(stamp+body))
\treturn body, map[string]string{${goString(family.header)}: hex.EncodeToString(signature), ${goString(family.timestampHeader)}: stamp}`;
      break;
  }
  const code = `${secrets}
// signRequest returns the body and the headers that sign it ${profile.label}'s way (url: where it is posted).
func signRequest(body, url, secret string, now time.Time) (string, map[string]string) {
${sign}
}
`;
  const refusals: string[] = [];
  if (family.kind !== 'shared-token' && family.kind !== 'jwt') {
    refusals.push(`\tbody, headers := signRequest(first.body, target, testSecret, time.Now())
\tif status, _ := post(t, target, body+" ", merge(first.headers, headers)); status != http.StatusUnauthorized {
\t\tt.Errorf("tampered body: status %d, want 401", status)
\t}`);
  }
  refusals.push(`\tbody, headers = signRequest(first.body, target, otherSecret, time.Now())
\tif status, _ := post(t, target, body, merge(first.headers, headers)); status != http.StatusUnauthorized {
\t\tt.Errorf("another secret: status %d, want 401", status)
\t}`);
  refusals.push(`\thandlers.reached = nil
\tbody, headers = signRequest(first.body, target, previousSecret, time.Now())
\tif status, text := post(t, target, body, merge(first.headers, headers)); status != http.StatusOK || len(handlers.reached) != 1 {
\t\tt.Errorf("the previous secret (rotation): status %d, reached %v, want 200 and its method (%s)", status, handlers.reached, text)
\t}
\thandlers.reached = nil`);
  if (hasTimestamp(family)) {
    refusals.push(`\tbody, headers = signRequest(first.body, target, testSecret, time.Now().Add(-${staleSeconds(family)}*time.Second))
\tif status, _ := post(t, target, body, merge(first.headers, headers)); status != http.StatusUnauthorized {
\t\tt.Errorf("stale delivery: status %d, want 401", status)
\t}`);
  }
  if (family.kind === 'jwt') {
    refusals.push(`\tbody, headers = signRequest(first.body, target, testSecret, time.Now())
\tif status, text := post(t, target, body, merge(first.headers, map[string]string{"Authorization": "Bearer " + headers["Authorization"]})); status != http.StatusOK {
\t\tt.Errorf("Bearer token: status %d, want 200 (%s)", status, text)
\t}`);
    if (family.secretMatch) {
      refusals.push(`\tif status, text := post(t, target, first.body, merge(first.headers, map[string]string{"Authorization": testSecret})); status != http.StatusOK {
\t\tt.Errorf("secret as the header: status %d, want 200 (%s)", status, text)
\t}`);
    }
  }
  refusals.push(`\tbody, headers = signRequest("{not json", target, testSecret, time.Now())
\tif status, _ := post(t, target, body, merge(headers, map[string]string{"Content-Type": "application/json"})); status != http.StatusBadRequest {
\t\tt.Errorf("not JSON: status %d, want 400", status)
\t}`);
  // The first refusal declares body and headers.
  const joined = refusals.join('\n').replace(/^\tbody, headers = /, '\tbody, headers := ');
  const extra: string[] = [];
  for (const handshake of profile.handshakes) extra.push(goHandshakeTest(handshake));
  if (profile.handshakes.includes('meta_subscribe')) imports.add('io');
  if (profile.handshakes.includes('zoom_url_validation')) imports.add('encoding/hex');
  return {
    imports: [...imports],
    jwt,
    code,
    setup: `\tPreviousSecrets = []string{previousSecret}\n\tDeliveries = NewMemoryDeliveryLog(100)\n${
      profile.handshakes.includes('meta_subscribe')
        ? '\tVerifyToken = "hooklens-test-verify-token"\n'
        : ''
    }`,
    refusals: joined,
    extraTests: extra.join('\n'),
  };
}

function goHandshakeTest(handshake: VerificationProfile['handshakes'][number]): string {
  const start = `\tserver := httptest.NewServer(NewWebhookHandler(testSecret, &recording{}))
\tdefer server.Close()
\ttarget := server.URL + "/webhook"
`;
  switch (handshake) {
    case 'slack_url_verification':
      return `
func TestURLVerificationIsAnswered(t *testing.T) {
${start}\tbody, headers := signRequest(\`{"token":"t","challenge":"hooklens-challenge","type":"url_verification"}\`, target, testSecret, time.Now())
\tif status, text := post(t, target, body, merge(headers, map[string]string{"Content-Type": "application/json"})); status != http.StatusOK || strings.TrimSpace(text) != \`{"challenge":"hooklens-challenge"}\` {
\t\tt.Errorf("url_verification: status %d, body %s", status, text)
\t}
}
`;
    case 'discord_ping':
      return `
func TestPingIsAnsweredWithPong(t *testing.T) {
${start}\tbody, headers := signRequest(\`{"id":"1","application_id":"2","type":1,"version":1}\`, target, testSecret, time.Now())
\tif status, text := post(t, target, body, merge(headers, map[string]string{"Content-Type": "application/json"})); status != http.StatusOK || strings.TrimSpace(text) != \`{"type":1}\` {
\t\tt.Errorf("PING: status %d, body %s", status, text)
\t}
}
`;
    case 'zoom_url_validation':
      return `
func TestURLValidationIsAnswered(t *testing.T) {
${start}\tbody, headers := signRequest(\`{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}\`, target, testSecret, time.Now())
\tmac := hmac.New(sha256.New, []byte(testSecret))
\tmac.Write([]byte("qgg8vlvZRS6UYooatFL8Aw"))
\twant := hex.EncodeToString(mac.Sum(nil))
\tif status, text := post(t, target, body, merge(headers, map[string]string{"Content-Type": "application/json"})); status != http.StatusOK || !strings.Contains(text, want) {
\t\tt.Errorf("url_validation: status %d, body %s", status, text)
\t}
}
`;
    case 'twitch_verification':
      return `
func TestCallbackVerificationIsAnswered(t *testing.T) {
${start}\tbody, headers := signRequest(\`{"challenge":"pogchamp-kappa-360noscope-vohiyo","subscription":{"type":"channel.follow"}}\`, target, testSecret, time.Now())
\tif status, text := post(t, target, body, merge(headers, map[string]string{"Content-Type": "application/json", "Twitch-Eventsub-Message-Type": "webhook_callback_verification"})); status != http.StatusOK || text != "pogchamp-kappa-360noscope-vohiyo" {
\t\tt.Errorf("callback verification: status %d, body %s", status, text)
\t}
}
`;
    case 'meta_subscribe':
      return `
func TestSubscriptionGetIsAnswered(t *testing.T) {
\tVerifyToken = "hooklens-test-verify-token"
${start}\tresponse, err := http.Get(target + "?hub.mode=subscribe&hub.verify_token=hooklens-test-verify-token&hub.challenge=1158201444")
\tif err != nil {
\t\tt.Fatal(err)
\t}
\ttext, _ := io.ReadAll(response.Body)
\tresponse.Body.Close()
\tif response.StatusCode != http.StatusOK || string(text) != "1158201444" {
\t\tt.Errorf("subscription GET: status %d, body %s", response.StatusCode, text)
\t}
\twrong, err := http.Get(target + "?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1158201444")
\tif err != nil {
\t\tt.Fatal(err)
\t}
\twrong.Body.Close()
\tif wrong.StatusCode != http.StatusForbidden {
\t\tt.Errorf("wrong verify token: status %d, want 403", wrong.StatusCode)
\t}
}
`;
  }
}
