// Python snippets for verification, event names and handshakes, keyed by the profile's scheme
// family (see ./typescript for the same in TypeScript). The standard library only (hmac,
// hashlib, base64), raw bytes, hmac.compare_digest; Ed25519 (Discord) needs `cryptography`, which
// Python's standard library lacks. The JWT family keeps PyJWT, as before.
import { pythonString } from '../literals';
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

export interface PyVerification {
  /** `import x` / `from x import y` lines. */
  readonly imports: readonly string[];
  /** verify_webhook and its helpers (module level). */
  readonly code: string;
  /** The verification of one secret, `key`, with `request`, `now` and the options in scope. */
  readonly call: string;
  /** Extra create_app keyword parameters (`, verify_token: str = ""`). */
  readonly parameters: string;
  /** The same, as `__getattr__` passes them from the environment. */
  readonly environment: string;
  /** Lines for requirements.txt. */
  readonly requirements: readonly string[];
}

export function pyVerification(profile: VerificationProfile): PyVerification {
  const family = profile.family;
  const url = usesPublicUrl(profile);
  const meta = profile.handshakes.includes('meta_subscribe');
  const code = familyCode(profile, family);
  return {
    imports: [...new Set(['import hmac', 'import time', ...code.imports])].sort(),
    code: `${code.code}${url ? CANDIDATE_URLS : ''}`,
    call: `verify_webhook(request, key, now${url ? ', public_base_url' : ''})`,
    parameters: `${meta ? ', verify_token: str = ""' : ''}${url ? ', public_base_url: Optional[str] = None' : ''}`,
    environment: `${meta ? ', verify_token=os.environ.get("VERIFY_TOKEN", "")' : ''}${url ? ', public_base_url=os.environ.get("WEBHOOK_PUBLIC_URL")' : ''}`,
    requirements: [
      ...(family.kind === 'jwt' ? ['PyJWT>=2.6'] : []),
      ...(family.kind === 'ed25519' ||
      family.kind === 'ecdsa' ||
      (family.kind === 'standard-webhooks' && family.asymmetric)
        ? ['cryptography>=3.4']
        : []),
    ],
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
        imports: ['import base64', 'import binascii', 'import hashlib'],
        code: `def verify_webhook(request: WebhookRequest, secret: str, now: float) -> None:
    """Standard Webhooks (and Svix's svix-* names): "v1,<base64>" entries, each an HMAC-SHA256 of
    "{id}.{timestamp}.{raw body}" keyed with the base64 after "whsec_". ±${family.toleranceSeconds} s."""
    prefix = "svix" if "webhook-signature" not in request.headers and "svix-signature" in request.headers else "webhook"
    message_id = request.headers.get(prefix + "-id", "").strip()
    timestamp_text = request.headers.get(prefix + "-timestamp", "").strip()
    signatures = request.headers.get(prefix + "-signature")
    if not message_id or not timestamp_text or signatures is None:
        raise WebhookRejected(f"The {prefix}-id, {prefix}-timestamp or {prefix}-signature header is missing.")
    try:
        key = base64.b64decode(re.sub(r"^(v1,)?whsec_", "", secret.strip()) + "==")
    except (binascii.Error, ValueError):
        raise WebhookRejected("WEBHOOK_SECRET is not whsec_ followed by base64.")
    if not key:
        raise WebhookRejected("WEBHOOK_SECRET is not whsec_ followed by base64.")
    if not re.fullmatch(r"[0-9]{1,12}", timestamp_text):
        raise WebhookRejected(f"{prefix}-timestamp is not a Unix time in seconds.")
    seconds = int(timestamp_text)
${freshness({ toleranceSeconds: family.toleranceSeconds, future: true }, 'The timestamp')}    expected = hmac.new(key, f"{message_id}.{timestamp_text}.".encode() + request.body, hashlib.sha256).digest()
    for entry in signatures.split(" "):
        version, _, encoded = entry.partition(",")
        if version != "v1":
            continue
        try:
            given = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            continue
        if hmac.compare_digest(given, expected):
            return
    raise WebhookRejected("No v1 signature matches: the body changed, or the secret is not this endpoint's signing secret.")

`,
      };
    case 'twilio':
      return {
        imports: ['import base64', 'import binascii', 'import hashlib', 'import urllib.parse'],
        code: `def verify_webhook(request: WebhookRequest, secret: str, now: float, public_base_url: Optional[str] = None) -> None:
    """Twilio: X-Twilio-Signature = base64(HMAC-SHA1(Auth Token, public URL + each form parameter's
    name and value, sorted by name)). A JSON body is signed through bodySHA256 in the URL instead."""
    if not secret:
        raise WebhookRejected("No secret is configured.")
    value = request.headers.get("x-twilio-signature", "").strip()
    if not value:
        raise WebhookRejected("The X-Twilio-Signature header is missing.")
    try:
        given = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise WebhookRejected("X-Twilio-Signature is not base64.")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.url).query)
    params: List[Tuple[str, str]] = []
    if "bodySHA256" in query:
        actual = hashlib.sha256(request.body).hexdigest()
        if not hmac.compare_digest(actual, query["bodySHA256"][0].lower()):
            raise WebhookRejected("The body does not match bodySHA256 in the URL.")
    elif _is_form(request.headers):
        params = urllib.parse.parse_qsl(request.body.decode("utf-8"), keep_blank_values=True)
    by_name: Dict[str, List[str]] = {}
    for name, text in params:
        by_name.setdefault(name, []).append(text)
    signed = "".join(name + text for name in sorted(by_name) for text in sorted(set(by_name[name])))
    for url in candidate_urls(request, public_base_url):
        if hmac.compare_digest(given, hmac.new(secret.encode("utf-8"), (url + signed).encode("utf-8"), hashlib.sha1).digest()):
            return
    raise WebhookRejected("X-Twilio-Signature does not match for any URL tried: the body changed, the Auth Token differs, or the public URL differs (set WEBHOOK_PUBLIC_URL).")

`,
      };
    case 'shared-token':
      return {
        imports: [],
        code: `def verify_webhook(request: WebhookRequest, secret: str, now: float) -> None:
    """${profile.label} sends the secret token itself in ${family.header}: compared in constant time."""
    if not secret:
        raise WebhookRejected("No secret is configured.")
    token = request.headers.get(${pythonString(family.header.toLowerCase())})
    if token is None:
        raise WebhookRejected(${pythonString(`The ${family.header} header is missing.`)})
    if not hmac.compare_digest(token.encode("utf-8"), secret.strip().encode("utf-8")):
        raise WebhookRejected(${pythonString(`The ${family.header} header does not match the secret token.`)})

`,
      };
    case 'ecdsa':
      return {
        imports: [
          'import base64',
          'import binascii',
          'from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm',
          'from cryptography.hazmat.primitives import hashes, serialization',
          'from cryptography.hazmat.primitives.asymmetric import ec',
        ],
        code: `def verify_webhook(request: WebhookRequest, secret: str, now: float) -> None:
    """${profile.label}: ${family.header} is the base64 of a DER ECDSA P-256 / SHA-256
    signature of ${family.timestampHeader} followed by the raw body, checked with the verification
    key (base64 DER public key, MFkw...). ${profile.label}'s own library applies no timestamp
    tolerance; neither does this. Python's standard library has no ECDSA: this uses \`cryptography\`."""
    signature = request.headers.get(${pythonString(family.header.toLowerCase())}, "").strip()
    timestamp = request.headers.get(${pythonString(family.timestampHeader.toLowerCase())}, "").strip()
    if not signature or not timestamp:
        raise WebhookRejected(${pythonString(`The ${family.header} or ${family.timestampHeader} header is missing.`)})
    try:
        key = serialization.load_der_public_key(base64.b64decode("".join(secret.split()), validate=True))
    except (binascii.Error, ValueError, UnsupportedAlgorithm):
        raise WebhookRejected("WEBHOOK_SECRET is not a verification key (the base64 DER public key, MFkw...).")
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise WebhookRejected("WEBHOOK_SECRET is not an ECDSA verification key.")
    try:
        key.verify(base64.b64decode(signature, validate=True), timestamp.encode("utf-8") + request.body, ec.ECDSA(hashes.SHA256()))
    except (binascii.Error, ValueError, InvalidSignature):
        raise WebhookRejected("The signature does not verify with the verification key: the body changed, or the key is not this account's.")

`,
      };
    case 'ed25519':
      return {
        imports: [
          'from cryptography.exceptions import InvalidSignature',
          'from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey',
        ],
        code: `def verify_webhook(request: WebhookRequest, secret: str, now: float) -> None:
    """${profile.label}: Ed25519 over ${family.timestampHeader} + the raw body, with the application's
    public key (hex). Python's standard library has no Ed25519, so this uses \`cryptography\`."""
    public_key = secret.strip()
    if not re.fullmatch(r"[0-9a-fA-F]{64}", public_key):
        raise WebhookRejected("WEBHOOK_SECRET is not a public key of 64 hex digits.")
    signature = request.headers.get(${pythonString(family.header.toLowerCase())}, "").strip()
    timestamp = request.headers.get(${pythonString(family.timestampHeader.toLowerCase())})
    if not signature or timestamp is None:
        raise WebhookRejected(${pythonString(`The ${family.header} or ${family.timestampHeader} header is missing.`)})
    if not re.fullmatch(r"[0-9a-fA-F]{128}", signature):
        raise WebhookRejected(${pythonString(`${family.header} is not 128 hex digits.`)})
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(
            bytes.fromhex(signature), timestamp.strip().encode("utf-8") + request.body
        )
    except InvalidSignature:
        raise WebhookRejected("The signature does not verify with the public key.")

`,
      };
  }
}

function standardWebhooksEd25519Code(tolerance: number): FamilyCode {
  return {
    imports: [
      'import base64',
      'import binascii',
      'from cryptography.exceptions import InvalidSignature',
      'from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey',
    ],
    code: `def verify_webhook(request: WebhookRequest, secret: str, now: float) -> None:
    """Standard Webhooks, asymmetric (and Svix's svix-* names): "v1a,<base64>" entries, each an
    Ed25519 signature of "{id}.{timestamp}.{raw body}", checked with the public key after "whpk_".
    ±${tolerance} s. Python's standard library has no Ed25519, so this uses \`cryptography\`."""
    prefix = "svix" if "webhook-signature" not in request.headers and "svix-signature" in request.headers else "webhook"
    message_id = request.headers.get(prefix + "-id", "").strip()
    timestamp_text = request.headers.get(prefix + "-timestamp", "").strip()
    signatures = request.headers.get(prefix + "-signature")
    if not message_id or not timestamp_text or signatures is None:
        raise WebhookRejected(f"The {prefix}-id, {prefix}-timestamp or {prefix}-signature header is missing.")
    raw_key = secret.strip()
    try:
        public_bytes = base64.b64decode(raw_key[len("whpk_"):], validate=True) if raw_key.startswith("whpk_") else b""
    except (binascii.Error, ValueError):
        public_bytes = b""
    if len(public_bytes) != 32:
        raise WebhookRejected("WEBHOOK_SECRET is not whpk_ followed by the base64 of a 32-byte Ed25519 public key.")
    if not re.fullmatch(r"[0-9]{1,12}", timestamp_text):
        raise WebhookRejected(f"{prefix}-timestamp is not a Unix time in seconds.")
    seconds = int(timestamp_text)
${freshness({ toleranceSeconds: tolerance, future: true }, 'The timestamp')}    public_key = Ed25519PublicKey.from_public_bytes(public_bytes)
    signed = f"{message_id}.{timestamp_text}.".encode("utf-8") + request.body
    for entry in signatures.split(" "):
        version, _, encoded = entry.partition(",")
        if version != "v1a":
            continue
        try:
            public_key.verify(base64.b64decode(encoded, validate=True), signed)
            return
        except (binascii.Error, ValueError, InvalidSignature):
            continue
    raise WebhookRejected("No v1a signature verifies: the body changed, or the key is not this endpoint's public key.")

`,
  };
}

function jwtCode(secretMatch: boolean): FamilyCode {
  return {
    imports: ['import jwt'],
    code: `def verify_webhook(request: WebhookRequest, secret: str, now: float) -> None:
    """The JWT in Authorization${secretMatch ? ', or the secret itself (the samples sent it that way)' : ''}."""
    authorization = request.headers.get("authorization")
${
  secretMatch
    ? `    bare = re.sub(r"^bearer\\s+", "", (authorization or "").strip(), flags=re.IGNORECASE)
    if secret and hmac.compare_digest(bare.encode("utf-8"), secret.encode("utf-8")):
        return
`
    : ''
}    verify_webhook_token(authorization, secret)


def verify_webhook_token(authorization: Optional[str], secret: str) -> Dict[str, Any]:
    """The checks HookLens makes: bare or Bearer token, HS256 only, signature, exp/nbf/iat."""
    if not secret:
        raise WebhookRejected("No secret is configured.")
    value = (authorization or "").strip()
    if not value:
        raise WebhookRejected("The Authorization header is missing.")
    token = value[7:].strip() if value[:7].lower() == "bearer " else value
    try:
        claims: Dict[str, Any] = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            leeway=CLOCK_TOLERANCE_SECONDS,
            options={"verify_aud": False},
        )
        return claims
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

`,
  };
}

function freshness(spec: { toleranceSeconds: number; future: boolean }, name: string): string {
  return `    if now - seconds > ${spec.toleranceSeconds}:
        raise WebhookRejected(f"${name} is {round(now - seconds)} s old; more than ${spec.toleranceSeconds} s is refused (a replay?).")
${
  spec.future
    ? `    if seconds - now > ${spec.toleranceSeconds}:
        raise WebhookRejected(${pythonString(`${name} is more than ${spec.toleranceSeconds} s in the future.`)})
`
    : ''
}`;
}

function secondsLines(unit: TimestampSpec['unit'], name: string): string {
  const message = pythonString(
    `The ${name} timestamp is missing or not ${unit === 'rfc3339' ? 'an RFC 3339 time' : `a Unix time in ${unit}`}.`,
  );
  switch (unit) {
    case 'seconds':
      return `    if not re.fullmatch(r"[0-9]{1,12}", timestamp_text):
        raise WebhookRejected(${message})
    seconds: float = int(timestamp_text)
`;
    case 'milliseconds':
      return `    if not re.fullmatch(r"[0-9]{1,16}", timestamp_text):
        raise WebhookRejected(${message})
    seconds: float = int(timestamp_text) / 1000
`;
    case 'rfc3339':
      return `    parsed = _rfc3339_seconds(timestamp_text)
    if parsed is None:
        raise WebhookRejected(${message})
    seconds: float = parsed
`;
  }
}

const RFC3339 = `def _rfc3339_seconds(text: str) -> Optional[float]:
    """Seconds since 1970 of an RFC 3339 time (nanoseconds allowed), or None."""
    match = re.fullmatch(r"(\\d{4}-\\d{2}-\\d{2})[Tt](\\d{2}:\\d{2}:\\d{2})(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})", text)
    if match is None:
        return None
    zone = "+00:00" if match.group(4) in ("Z", "z") else match.group(4)
    moment = datetime.datetime.fromisoformat(f"{match.group(1)}T{match.group(2)}{zone}")
    return moment.timestamp() + float(match.group(3) or 0)

`;

function partBytes(part: SignedPart): string {
  switch (part.kind) {
    case 'literal':
      return `${pythonString(part.text)}.encode("utf-8")`;
    case 'body':
      return 'request.body';
    case 'timestamp':
      return 'timestamp_text.encode("utf-8")';
    case 'id':
      return 'message_id.encode("utf-8")';
    case 'url':
      return 'url.encode("utf-8")';
  }
}

function templateCode(
  profile: VerificationProfile,
  family: Extract<SchemeFamily, { kind: 'template' }>,
): FamilyCode {
  const main = family.headers[0]!;
  const bytes = DIGEST_BYTES[family.algorithm];
  const imports = ['import hashlib'];
  let helpers = '';
  if (family.encoding === 'base64') imports.push('import base64', 'import binascii');
  if (family.timestamp?.unit === 'rfc3339') {
    imports.push('import datetime');
    helpers += RFC3339;
  }
  if (family.timestamp?.bodyField !== undefined) {
    helpers += `def _body_field(raw: bytes, name: str) -> Optional[str]:
    """A top-level field of the JSON body as text (a number or a string), if there is one."""
    try:
        parsed = json.loads(raw)
    except ValueError:
        return None
    value = parsed.get(name) if isinstance(parsed, dict) else None
    return str(value) if isinstance(value, (int, str)) and not isinstance(value, bool) else None

`;
  }
  const url = family.parts.some((part) => part.kind === 'url');
  const decode =
    family.encoding === 'hex'
      ? `    encoded = value[${family.prefix.length}:]
    if not re.fullmatch(r"[0-9a-fA-F]{${bytes * 2}}", encoded):
        raise WebhookRejected(${pythonString(`The ${main} header is not ${family.prefix}followed by ${bytes * 2} hex digits.`)})
    given = bytes.fromhex(encoded)
`
      : `    try:
        given = base64.b64decode(value[${family.prefix.length}:], validate=True)
    except (binascii.Error, ValueError):
        given = b""
    if len(given) != ${bytes}:
        raise WebhookRejected(${pythonString(`The ${main} header is not ${family.prefix}followed by the base64 of an HMAC-${family.algorithm.toUpperCase()}.`)})
`;
  let body = `SIGNATURE_HEADERS = (${family.headers.map((name) => pythonString(name.toLowerCase())).join(', ')},)


def verify_webhook(request: WebhookRequest, secret: str, now: float${url ? ', public_base_url: Optional[str] = None' : ''}) -> None:
    """${profile.label}: ${main} = ${family.prefix}${family.encoding}(HMAC-${family.algorithm.toUpperCase()}(secret, ${family.parts.map(describePart).join(' + ')}))."""
    if not secret:
        raise WebhookRejected("No secret is configured.")
    value = next((request.headers[name] for name in SIGNATURE_HEADERS if name in request.headers), "").strip()
    if not value:
        raise WebhookRejected(${pythonString(`The ${main} header is missing.`)})
`;
  if (family.prefix !== '') {
    body += `    if not value.lower().startswith(${pythonString(family.prefix.toLowerCase())}):
        raise WebhookRejected(${pythonString(`The ${main} header does not start with ${family.prefix}.`)})
`;
  }
  body += decode;
  if (family.timestamp !== undefined) {
    const spec = family.timestamp;
    const fromHeader =
      spec.header === undefined
        ? '""'
        : `request.headers.get(${pythonString(spec.header.toLowerCase())}, "").strip()`;
    const read =
      spec.bodyField !== undefined
        ? `_body_field(request.body, ${pythonString(spec.bodyField)}) or ${fromHeader}`
        : fromHeader;
    const name = spec.bodyField ?? spec.header ?? 'timestamp';
    body += `    timestamp_text = ${read}
${secondsLines(spec.unit, name)}${freshness(spec, `The ${name} timestamp`)}`;
  }
  if (family.idHeader !== undefined) {
    body += `    message_id = request.headers.get(${pythonString(family.idHeader.toLowerCase())}, "").strip()
    if not message_id:
        raise WebhookRejected(${pythonString(`The ${family.idHeader} header is missing.`)})
`;
  }
  const digest = `hmac.new(secret.encode("utf-8"), ${family.parts.map(partBytes).join(' + ')}, hashlib.${family.algorithm}).digest()`;
  body += url
    ? `    for url in candidate_urls(request, public_base_url):
        if hmac.compare_digest(given, ${digest}):
            return
    raise WebhookRejected(${pythonString(`${main} does not match for any URL tried: the body changed, the secret is not ${profile.label}'s, or the public URL differs (set WEBHOOK_PUBLIC_URL).`)})

`
    : `    if not hmac.compare_digest(given, ${digest}):
        raise WebhookRejected(${pythonString(`${main} does not match: the body changed, or the secret is not the ${profile.label} ${profile.secretNoun}.`)})

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
    imports: ['import hashlib'],
    code: `def verify_webhook(request: WebhookRequest, secret: str, now: float) -> None:
    """${profile.label}: ${name} = ${t}=<unix seconds>${family.itemSeparator}${v}=<hex>[${family.itemSeparator}${v}=...], each ${v} an
    HMAC-SHA256 of "{${t}}${family.contentSeparator}{raw body}" keyed with the secret exactly as given${profile.provider === 'stripe' ? ' (the whole whsec_ string)' : ''}.
    Every ${v} is tried (there are several while a secret rolls); other keys are ignored."""
    if not secret:
        raise WebhookRejected("No secret is configured.")
    value = request.headers.get(${pythonString(name.toLowerCase())})
    if value is None:
        raise WebhookRejected(${pythonString(`The ${name} header is missing.`)})
    timestamp_text: Optional[str] = None
    signatures: List[bytes] = []
    for item in value.split(${pythonString(family.itemSeparator)}):
        key, equals, text = item.partition("=")
        if not equals:
            continue
        if key.strip() == ${pythonString(t)}:
            timestamp_text = text.strip()
        elif key.strip() == ${pythonString(v)} and re.fullmatch(r"[0-9a-fA-F]{64}", text.strip()):
            signatures.append(bytes.fromhex(text.strip()))
    if timestamp_text is None or not re.fullmatch(r"[0-9]{1,12}", timestamp_text):
        raise WebhookRejected(${pythonString(`${name} has no ${t}= timestamp.`)})
    if not signatures:
        raise WebhookRejected(${pythonString(`${name} has no ${v}= signature.`)})
    expected = hmac.new(secret.encode("utf-8"), (timestamp_text + ${pythonString(family.contentSeparator)}).encode("utf-8") + request.body, hashlib.sha256).digest()
    if not any(hmac.compare_digest(signature, expected) for signature in signatures):
        raise WebhookRejected(${pythonString(`No ${v} signature in ${name} matches: the body changed, or the secret is not the ${profile.label} ${profile.secretNoun}.`)})
    seconds = int(timestamp_text)
${freshness({ toleranceSeconds: family.toleranceSeconds, future: false }, `The ${name} timestamp`)}
`,
  };
}

const CANDIDATE_URLS = `def candidate_urls(request: WebhookRequest, public_base_url: Optional[str]) -> List[str]:
    """The URLs the sender may have signed: the configured public origin, then the Host header's
    (X-Forwarded-Host/-Proto when a proxy sets them), each as is, with and without the default port."""
    origins: List[str] = []
    if public_base_url:
        origins.append(public_base_url.rstrip("/"))
    host = request.headers.get("x-forwarded-host") or request.headers.get("host")
    if host:
        proto = request.headers.get("x-forwarded-proto", "").split(",")[0].strip()
        if proto in ("http", "https"):
            origins.append(f"{proto}://{host}")
        origins.extend([f"https://{host}", f"http://{host}"])
    urls: List[str] = []
    for origin in origins:
        url = origin + request.url
        urls.append(url)
        match = re.match(r"(https?)://([^/?#]*)", url, flags=re.IGNORECASE)
        if match and not re.search(r":[0-9]+$", match.group(2)):
            port = "443" if match.group(1).lower() == "https" else "80"
            urls.append(f"{match.group(0)}:{port}{url[match.end():]}")
        urls.append(re.sub(r"^(https?://[^/?#:]*):[0-9]+", r"\\1", url, flags=re.IGNORECASE))
    return list(dict.fromkeys(urls))

`;

/** `event_name(body, headers)`: the provider's event name, as HookLens named the samples. */
export function pyEventName(rules: readonly NameRule[]): string {
  const source = (item: NameSource): string =>
    item.from === 'header'
      ? `(headers.get(${pythonString(item.name)}) or None)`
      : `_text_at(body, [${item.tokens.map(pythonString).join(', ')}])`;
  const firstOf = (sources: readonly NameSource[]): string =>
    sources.length === 0 ? 'None' : sources.map(source).join(' or ');
  const blocks = rules.map((rule) => {
    const lines: string[] = [];
    let indent = '    ';
    if (rule.guard) {
      lines.push(`    if ${source(rule.guard.source)} == ${pythonString(rule.guard.equals)}:`);
      indent = '        ';
    }
    const main =
      rule.constant !== undefined ? pythonString(rule.constant) : firstOf(rule.sources ?? []);
    lines.push(`${indent}main = ${main}`);
    const prefix = rule.prefix ? `${pythonString(rule.prefix)} + ` : '';
    if (rule.suffix) {
      lines.push(`${indent}suffix = ${firstOf(rule.suffix.sources)}`);
      lines.push(`${indent}if main is not None:`);
      lines.push(
        `${indent}    return ${prefix}main if suffix is None else ${prefix}main + ${pythonString(rule.suffix.separator)} + suffix`,
      );
    } else {
      lines.push(`${indent}if main is not None:`);
      lines.push(`${indent}    return ${prefix}main`);
    }
    return lines.join('\n');
  });
  return `def event_name(body: Any, headers: Mapping[str, str]) -> Optional[str]:
    """The event name, read the way HookLens named the samples."""
${blocks.join('\n')}
    return None

`;
}

/** `_text_at`: a string (or a whole number, as text) at a path; needed by event names and handshakes. */
export const PY_TEXT_AT = `def _text_at(value: Any, path: List[str]) -> Optional[str]:
    for key in path:
        if isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        elif isinstance(value, dict) and key in value:
            value = value[key]
        else:
            return None
    if isinstance(value, str):
        return value or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None

`;

/** Lines in handle_webhook() answering signed handshakes (`body`, `request`, `secret` in scope). */
export function pyHandshakeAfter(profile: VerificationProfile): string {
  const out: string[] = [];
  for (const handshake of profile.handshakes) {
    if (handshake === 'slack_url_verification') {
      out.push(`    # Slack checks the Events API URL with a signed url_verification: echo the challenge.
    if _text_at(body, ["type"]) == "url_verification":
        return WebhookReply(200, {"challenge": _text_at(body, ["challenge"]) or ""})`);
    } else if (handshake === 'discord_ping') {
      out.push(`    # Discord's PING (type 1), signed like every interaction: answer PONG.
    if _text_at(body, ["type"]) == "1":
        return WebhookReply(200, {"type": 1})`);
    } else if (handshake === 'zoom_url_validation') {
      out.push(`    # Zoom validates the endpoint: plainToken back with its HMAC-SHA256 (hex) under the secret.
    if _text_at(body, ["event"]) == "endpoint.url_validation":
        plain_token = _text_at(body, ["payload", "plainToken"]) or ""
        encrypted = hmac.new(secret.encode("utf-8"), plain_token.encode("utf-8"), hashlib.sha256).hexdigest()
        return WebhookReply(200, {"plainToken": plain_token, "encryptedToken": encrypted})`);
    } else if (handshake === 'twitch_verification') {
      out.push(`    # Twitch confirms the subscription: answer the challenge as plain text.
    if request.headers.get("twitch-eventsub-message-type") == "webhook_callback_verification":
        return WebhookReply(200, _text_at(body, ["challenge"]) or "", "text/plain; charset=utf-8")`);
    }
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** Meta's unsigned subscription GET, answered framework-free (module level). */
export function pyMetaSubscription(profile: VerificationProfile): string {
  if (!profile.handshakes.includes('meta_subscribe')) return '';
  return `def answer_subscription(query: Mapping[str, str], verify_token: str) -> WebhookReply:
    """Meta checks the endpoint with an unsigned GET carrying the verify token you chose."""
    if query.get("hub.mode") != "subscribe":
        return WebhookReply(405, {"error": "Send webhooks with POST."})
    token = query.get("hub.verify_token", "")
    if not verify_token or not hmac.compare_digest(token.encode("utf-8"), verify_token.encode("utf-8")):
        return WebhookReply(403, {"error": "The verify token does not match VERIFY_TOKEN."})
    return WebhookReply(200, query.get("hub.challenge", ""), "text/plain; charset=utf-8")


`;
}

// ---------------------------------------------------------------------------------------------
// The generated test (unittest + TestClient): signing the provider's way, in Python.

export interface PyTestSigning {
  readonly imports: readonly string[];
  /** Module-level: the test secret (or key pair) and sign_request. */
  readonly code: string;
  /** Extra create_app keyword arguments in setUp. */
  readonly appArguments: string;
  /** Test methods beyond the samples (indented for the class body). */
  readonly methods: string;
}

export function pyTestSigning(profile: VerificationProfile): PyTestSigning {
  const family = profile.family;
  const imports = new Set<string>(['import hashlib', 'import hmac', 'import json', 'import time']);
  let secrets = `# A test-only secret; the samples are signed with it here, never with yours.
TEST_SECRET = ${pythonString(testSecretFor(family))}
OTHER_SECRET = ${pythonString(family.kind === 'standard-webhooks' ? `whsec_${Buffer.from('not-the-secret').toString('base64')}` : 'not-the-secret')}
# The secret being rotated out (WEBHOOK_SECRET_PREVIOUS): still accepted.
PREVIOUS_SECRET = ${pythonString(previousTestSecretFor(family))}`;
  let sign: string;
  switch (family.kind) {
    case 'jwt':
      imports.add('import jwt');
      sign = `    token = jwt.encode({"iat": now, "exp": now + 300}, secret, algorithm="HS256")
    return body, {"authorization": token}`;
      break;
    case 'template': {
      const spec = family.timestamp;
      const lines: string[] = [];
      if (spec !== undefined) {
        if (spec.unit === 'rfc3339') imports.add('import datetime');
        lines.push(
          spec.unit === 'seconds'
            ? '    timestamp_text = str(now)'
            : spec.unit === 'milliseconds'
              ? '    timestamp_text = str(now * 1000)'
              : '    timestamp_text = datetime.datetime.fromtimestamp(now, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000000000Z")',
        );
        if (spec.bodyField !== undefined) {
          imports.add('import re');
          lines.push(
            `    # The timestamp travels in the signed body: bring it up to date.\n    body = re.sub(r'"${spec.bodyField}":\\s*[0-9]+', '"${spec.bodyField}":' + timestamp_text, body, count=1)`,
          );
        }
      }
      if (family.idHeader !== undefined) {
        imports.add('import uuid');
        lines.push('    message_id = str(uuid.uuid4())');
      }
      if (family.encoding === 'base64') imports.add('import base64');
      const parts = family.parts
        .map((part) =>
          part.kind === 'literal'
            ? `${pythonString(part.text)}.encode("utf-8")`
            : part.kind === 'body'
              ? 'body.encode("utf-8")'
              : part.kind === 'timestamp'
                ? 'timestamp_text.encode("utf-8")'
                : part.kind === 'id'
                  ? 'message_id.encode("utf-8")'
                  : 'url.encode("utf-8")',
        )
        .join(' + ');
      lines.push(
        `    digest = hmac.new(secret.encode("utf-8"), ${parts}, hashlib.${family.algorithm}).digest()`,
      );
      const encoded =
        family.encoding === 'hex' ? 'digest.hex()' : 'base64.b64encode(digest).decode()';
      const headers = [
        `${pythonString(family.headers[0]!.toLowerCase())}: ${pythonString(family.prefix)} + ${encoded}`,
        ...(spec?.header !== undefined
          ? [`${pythonString(spec.header.toLowerCase())}: timestamp_text`]
          : []),
        ...(family.idHeader !== undefined
          ? [`${pythonString(family.idHeader.toLowerCase())}: message_id`]
          : []),
      ];
      lines.push(`    return body, {${headers.join(', ')}}`);
      sign = lines.join('\n');
      break;
    }
    case 'timestamped-header':
      sign = `    signature = hmac.new(secret.encode("utf-8"), f"{now}${family.contentSeparator}".encode("utf-8") + body.encode("utf-8"), hashlib.sha256).hexdigest()
    return body, {${pythonString(family.header.toLowerCase())}: f"${family.timestampKey}={now}${family.itemSeparator}${family.signatureKey}={signature}"}`;
      break;
    case 'standard-webhooks':
      imports.add('import base64');
      if (family.asymmetric) {
        imports.add('from cryptography.hazmat.primitives import serialization');
        imports.add(
          'from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey',
        );
        secrets = `# Test-only key pairs: the app gets each public key as WEBHOOK_SECRET would hold it (whpk_...).
# PREVIOUS_SECRET is the public key being rotated out (WEBHOOK_SECRET_PREVIOUS): still accepted.
KEYS: Dict[str, Ed25519PrivateKey] = {}


def _new_key() -> str:
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    name = "whpk_" + base64.b64encode(public).decode()
    KEYS[name] = private
    return name


TEST_SECRET = _new_key()
OTHER_SECRET = _new_key()
PREVIOUS_SECRET = _new_key()`;
        sign = `    message_id = f"msg_{now}"
    signature = base64.b64encode(KEYS[secret].sign(f"{message_id}.{now}.".encode("utf-8") + body.encode("utf-8"))).decode()
    return body, {"webhook-id": message_id, "webhook-timestamp": str(now), "webhook-signature": "v1a," + signature}`;
        break;
      }
      sign = `    message_id = f"msg_{now}"
    key = base64.b64decode(secret[len("whsec_"):])
    signature = base64.b64encode(hmac.new(key, f"{message_id}.{now}.".encode("utf-8") + body.encode("utf-8"), hashlib.sha256).digest()).decode()
    return body, {"webhook-id": message_id, "webhook-timestamp": str(now), "webhook-signature": "v1," + signature}`;
      break;
    case 'twilio':
      imports.add('import base64');
      imports.add('import urllib.parse');
      sign = `    # A form's parameters are signed; a JSON body (the "not JSON" test's included) signs the URL only.
    params: List[Tuple[str, str]] = [] if body.lstrip()[:1] in ("{", "[") else urllib.parse.parse_qsl(body, keep_blank_values=True)
    signed = url + "".join(name + value for name, value in sorted(params))
    return body, {"x-twilio-signature": base64.b64encode(hmac.new(secret.encode("utf-8"), signed.encode("utf-8"), hashlib.sha1).digest()).decode()}`;
      break;
    case 'shared-token':
      sign = `    return body, {${pythonString(family.header.toLowerCase())}: secret}`;
      break;
    case 'ecdsa':
      imports.add('import base64');
      imports.add('from cryptography.hazmat.primitives import hashes, serialization');
      imports.add('from cryptography.hazmat.primitives.asymmetric import ec');
      secrets = `# Test-only P-256 key pairs: the app gets each public key as WEBHOOK_SECRET would hold it.
# PREVIOUS_SECRET is the public key being rotated out (WEBHOOK_SECRET_PREVIOUS): still accepted.
KEYS: Dict[str, ec.EllipticCurvePrivateKey] = {}


def _new_key() -> str:
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    name = base64.b64encode(public).decode()
    KEYS[name] = private
    return name


TEST_SECRET = _new_key()
OTHER_SECRET = _new_key()
PREVIOUS_SECRET = _new_key()`;
      sign = `    timestamp = str(now)
    signature = base64.b64encode(KEYS[secret].sign(timestamp.encode("utf-8") + body.encode("utf-8"), ec.ECDSA(hashes.SHA256()))).decode()
    return body, {${pythonString(family.header.toLowerCase())}: signature, ${pythonString(family.timestampHeader.toLowerCase())}: timestamp}`;
      break;
    case 'ed25519':
      imports.add('from cryptography.hazmat.primitives import serialization');
      imports.add(
        'from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey',
      );
      secrets = `# A test-only key pair: the app gets its public key as WEBHOOK_SECRET would hold it.
# PREVIOUS_SECRET is the public key being rotated out (WEBHOOK_SECRET_PREVIOUS): still accepted.
KEYS: Dict[str, Ed25519PrivateKey] = {}


def _new_key() -> str:
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()
    KEYS[public] = private
    return public


TEST_SECRET = _new_key()
OTHER_SECRET = _new_key()
PREVIOUS_SECRET = _new_key()`;
      sign = `    timestamp = str(now)
    signature = KEYS[secret].sign(timestamp.encode("utf-8") + body.encode("utf-8")).hex()
    return body, {${pythonString(family.header.toLowerCase())}: signature, ${pythonString(family.timestampHeader.toLowerCase())}: timestamp}`;
      break;
  }
  const code = `${secrets}


def sign_request(body: str, url: str, secret: str = TEST_SECRET, now: Optional[int] = None) -> Tuple[str, Dict[str, str]]:
    """The body and the headers that sign it ${profile.label}'s way (url: the URL it is posted to)."""
    now = int(time.time()) if now is None else now
${sign}
`;
  const methods: string[] = [];
  if (family.kind !== 'shared-token' && family.kind !== 'jwt') {
    methods.push(`    def test_tampered_body_is_refused(self) -> None:
        body, headers = sign_request(SAMPLES[0]["body"], URL)
        response = self.post(body + " ", {**SAMPLES[0]["headers"], **headers})
        self.assertEqual(response.status_code, 401, response.text)
        self.assertEqual(self.handlers.reached, [])`);
  }
  methods.push(`    def test_wrong_secret_is_refused(self) -> None:
        body, headers = sign_request(SAMPLES[0]["body"], URL, OTHER_SECRET)
        response = self.post(body, {**SAMPLES[0]["headers"], **headers})
        self.assertEqual(response.status_code, 401, response.text)
        self.assertEqual(self.handlers.reached, [])`);
  methods.push(`    def test_previous_secret_is_accepted_while_it_rotates(self) -> None:
        body, headers = sign_request(SAMPLES[0]["body"], URL, PREVIOUS_SECRET)
        response = self.post(body, {**SAMPLES[0]["headers"], **headers})
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(self.handlers.reached, [SAMPLES[0]["handler"]])`);
  if (hasTimestamp(family)) {
    methods.push(`    def test_stale_delivery_is_refused(self) -> None:
        body, headers = sign_request(SAMPLES[0]["body"], URL, TEST_SECRET, int(time.time()) - ${staleSeconds(family)})
        response = self.post(body, {**SAMPLES[0]["headers"], **headers})
        self.assertEqual(response.status_code, 401, response.text)`);
  }
  if (family.kind === 'jwt') {
    methods.push(`    def test_bearer_prefix_is_accepted(self) -> None:
        body, headers = sign_request(SAMPLES[0]["body"], URL)
        response = self.post(body, {**SAMPLES[0]["headers"], "authorization": "Bearer " + headers["authorization"]})
        self.assertEqual(response.status_code, 200, response.text)`);
    if (family.secretMatch) {
      methods.push(`    def test_secret_as_header_is_accepted(self) -> None:
        response = self.post(SAMPLES[0]["body"], {**SAMPLES[0]["headers"], "authorization": TEST_SECRET})
        self.assertEqual(response.status_code, 200, response.text)`);
    }
  }
  methods.push(`    def test_body_that_is_not_json_is_refused(self) -> None:
        body, headers = sign_request("{not json", URL)
        response = self.post(body, {**headers, "content-type": "application/json"})
        self.assertEqual(response.status_code, 400, response.text)`);
  for (const handshake of profile.handshakes) methods.push(pyHandshakeTest(handshake));
  return {
    imports: [...imports].sort(),
    code,
    appArguments: profile.handshakes.includes('meta_subscribe')
      ? ', verify_token="hooklens-test-verify-token"'
      : '',
    methods: methods.join('\n\n'),
  };
}

function pyHandshakeTest(handshake: VerificationProfile['handshakes'][number]): string {
  switch (handshake) {
    case 'slack_url_verification':
      return `    def test_url_verification_is_answered(self) -> None:
        body, headers = sign_request('{"token":"t","challenge":"hooklens-challenge","type":"url_verification"}', URL)
        response = self.post(body, {**headers, "content-type": "application/json"})
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(json.loads(response.text), {"challenge": "hooklens-challenge"})`;
    case 'discord_ping':
      return `    def test_ping_is_answered_with_pong(self) -> None:
        body, headers = sign_request('{"id":"1","application_id":"2","type":1,"version":1}', URL)
        response = self.post(body, {**headers, "content-type": "application/json"})
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(json.loads(response.text), {"type": 1})`;
    case 'zoom_url_validation':
      return `    def test_url_validation_is_answered(self) -> None:
        body, headers = sign_request('{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}', URL)
        response = self.post(body, {**headers, "content-type": "application/json"})
        self.assertEqual(response.status_code, 200, response.text)
        encrypted = hmac.new(TEST_SECRET.encode(), b"qgg8vlvZRS6UYooatFL8Aw", hashlib.sha256).hexdigest()
        self.assertEqual(json.loads(response.text), {"plainToken": "qgg8vlvZRS6UYooatFL8Aw", "encryptedToken": encrypted})`;
    case 'twitch_verification':
      return `    def test_callback_verification_is_answered(self) -> None:
        body, headers = sign_request('{"challenge":"pogchamp-kappa-360noscope-vohiyo","subscription":{"type":"channel.follow"}}', URL)
        response = self.post(body, {**headers, "content-type": "application/json", "twitch-eventsub-message-type": "webhook_callback_verification"})
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.text, "pogchamp-kappa-360noscope-vohiyo")`;
    case 'meta_subscribe':
      return `    def test_subscription_get_is_answered(self) -> None:
        response = self.client.get("/webhook?hub.mode=subscribe&hub.verify_token=hooklens-test-verify-token&hub.challenge=1158201444")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.text, "1158201444")
        wrong = self.client.get("/webhook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1158201444")
        self.assertEqual(wrong.status_code, 403)`;
  }
}
