// The detail panel's parts: header, toolbar and the Overview, Request, Response, Auth and
// Attempts tabs. Every payload-derived string goes through h() as text.
import type {
  AttemptDetail,
  AuthDetail,
  DeliveryDetail,
  RequestDetail,
  ResponseDetail,
  RouteDetail,
} from '../../src/shared/detail';
import { presentVerdict } from '../../src/shared/verdicts';
import { bodyView, rawView } from './body';
import type { ViewContext } from './context';
import { button, fieldsTable, h, icon, muted, note, section } from './dom';
import { formatBytes, localTime, relativeTime } from './format';
import { parseLossless } from './jsonTree';

function verdictLine(verdict: string, reason: string): HTMLElement {
  const presentation = presentVerdict(verdict);
  const verdictClass = presentation.severity === 'ok' ? 'ok' : 'problem';
  return h(
    'p',
    { class: `verdict ${verdictClass}` },
    icon(presentation.icon),
    h('strong', {}, presentation.label),
    h('span', {}, reason),
  );
}

/**
 * The header: what the delivery is (its headline, else its event), then two facts, each said
 * once: what the sender was answered (with "handler down" when the handler was not reached) and
 * the verdict (its reason and details are on the Auth tab). The outcome's sentence is the status
 * chip's tooltip and the Overview's Delivery row.
 */
export function renderHeader(detail: DeliveryDetail): HTMLElement {
  const { overview } = detail;
  const verdict = presentVerdict(overview.verdict);
  const { outcome } = overview;
  const title = overview.headline ?? overview.event ?? 'Unknown event';
  const verdictChip = h(
    'span',
    { class: `verdict-chip ${verdict.severity === 'ok' ? 'ok' : 'problem'}` },
    icon(verdict.icon),
    h('span', {}, verdict.label),
  );
  const outcomeChip = h(
    'span',
    { class: `outcome ${outcome.failed ? 'problem' : 'ok'}` },
    statusBadge(overview.httpStatus, outcome.kind === 'pending' ? 'No answer yet' : 'No status'),
    outcome.words === null
      ? null
      : h(
          'span',
          { class: 'outcome-words' },
          outcome.failed ? icon('warning') : null,
          outcome.words,
        ),
  );
  outcomeChip.title = outcome.sentence;
  return h(
    'header',
    { class: 'detail-header' },
    h(
      'h1',
      {},
      h('span', { class: 'title-text' }, title),
      detail.pinned
        ? h(
            'span',
            { class: 'pinned', title: 'This panel stays on this delivery' },
            icon('pinned'),
            'Pinned',
          )
        : null,
    ),
    h(
      'p',
      { class: 'facts' },
      outcomeChip,
      verdictChip,
      // The event, unless the title already says it (a Stripe headline starts with its type).
      overview.headline !== null &&
        overview.event !== null &&
        !overview.headline.includes(overview.event)
        ? h('span', { class: 'event' }, overview.event)
        : null,
      h('span', { class: 'endpoint' }, overview.endpoint),
    ),
  );
}

/** The seed's "Log Overview" columns, plus the verdict, the sender and duplicates. */
export function renderOverview(detail: DeliveryDetail, context: ViewContext): HTMLElement {
  const { overview, duplicateOf, duplicateCount } = detail;
  return h(
    'section',
    { class: 'overview' },
    fieldsTable([
      ['Webhook ID', overview.id],
      ['Session ID', overview.sessionId],
      ['Event', overview.event],
      ['Endpoint', overview.endpoint],
      ['HTTP Status', overview.httpStatus === null ? null : String(overview.httpStatus)],
      ['Time Taken', overview.timeTakenMs === null ? null : `${overview.timeTakenMs} ms`],
      // The sender's own retries; the developer's replays are counted apart.
      ['Retry Count', String(overview.retryCount)],
      ['Replays', String(overview.replayCount)],
      ['Created Date', new Date(overview.createdAt).toLocaleString()],
      ['Delivery', overview.outcome.sentence],
      ['Sender', overview.sender],
      ...(duplicateOf === null
        ? []
        : [
            [
              'Duplicate of',
              h(
                'span',
                { class: 'inline-actions' },
                h('code', {}, duplicateOf),
                button({
                  icon: 'go-to-file',
                  label: 'Open',
                  title: 'Open the delivery this one repeats',
                  className: 'button secondary small',
                  onClick: () => context.post({ type: 'openDelivery', deliveryId: duplicateOf }),
                }),
              ),
            ] as const,
          ]),
      ...(duplicateCount > 0
        ? [
            [
              'Repeated by',
              `${duplicateCount} later deliver${duplicateCount === 1 ? 'y' : 'ies'}`,
            ] as const,
          ]
        : []),
    ]),
  );
}

export function renderRequest(detail: DeliveryDetail, context: ViewContext): HTMLElement {
  const { request } = detail;
  return h(
    'div',
    { class: 'tab-content' },
    section(
      'Request line',
      h('pre', { class: 'request-line' }, `${request.method} ${request.url}`),
    ),
    section(`Headers (${request.headers.length})`, headersTable(request.headers, context)),
    section(
      'Body',
      h(
        'p',
        { class: 'meta' },
        formatBytes(request.bodySize),
        ' · ',
        request.contentType ?? 'no Content-Type',
      ),
      requestBody(request, detail.overview.id, context),
    ),
  );
}

function requestBody(
  request: RequestDetail,
  deliveryId: string,
  context: ViewContext,
): HTMLElement {
  if (request.truncated) {
    const shownBytes =
      request.bodyEncoding === 'base64' ? null : formatBytes(utf8Length(request.bodyText));
    return h(
      'div',
      { class: 'body-view' },
      h(
        'div',
        { class: 'callout' },
        note(
          'info',
          `This body is ${formatBytes(request.bodySize)}: the panel shows ${shownBytes ? `its first ${shownBytes}` : 'its beginning'} as raw text, without the tree.`,
        ),
        button({
          icon: 'go-to-file',
          label: 'Open full body',
          title: 'Open the whole body in a read-only editor',
          onClick: () => context.post({ type: 'action', action: 'openBody', deliveryId }),
        }),
      ),
      request.bodyEncoding === 'base64' ? note('info', 'Not UTF-8 text: shown as base64.') : null,
      rawView(request.bodyText),
    );
  }
  if (request.bodyEncoding === 'base64') {
    return h(
      'div',
      { class: 'body-view' },
      note('info', 'Not UTF-8 text: shown as base64.'),
      rawView(request.bodyText),
    );
  }
  if (request.form !== null) return formBody(request, request.form, context);
  const jsonAtCapture = request.parseError === null;
  return h(
    'div',
    {},
    jsonAtCapture ? null : note('warning', request.parseError ?? ''),
    bodyView(
      {
        text: request.bodyText,
        key: 'request',
        label: 'Search the request body',
        tryJson: jsonAtCapture,
        expectJson: jsonAtCapture,
      },
      context,
    ),
  );
}

/** Form fields shown at most; Raw has the whole body. */
const MAX_FORM_ROWS = 1000;

/**
 * A form body: its fields as a name/value table (in order, duplicates kept), a `payload` field
 * holding JSON as a tree (GitHub's form content type, Slack interactivity), then the raw text.
 */
function formBody(
  request: RequestDetail,
  form: ReadonlyArray<readonly [string, string]>,
  context: ViewContext,
): HTMLElement {
  const payload = form.find(([name]) => name === 'payload')?.[1];
  const shown = form.slice(0, MAX_FORM_ROWS);
  return h(
    'div',
    { class: 'form-body' },
    h('h3', {}, `Form fields (${form.length})`),
    form.length === 0
      ? muted('No fields.')
      : h(
          'table',
          { class: 'fields headers form-fields' },
          h(
            'thead',
            {},
            h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Value')),
          ),
          h(
            'tbody',
            {},
            ...shown.map(([name, value]) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, name === '' ? emptyText() : name),
                h('td', {}, value === '' ? emptyText() : value),
              ),
            ),
          ),
        ),
    form.length > shown.length
      ? muted(`The first ${shown.length} of ${form.length} fields; Raw below has them all.`)
      : null,
    payload === undefined || parseLossless(payload).ok !== true
      ? null
      : h(
          'div',
          {},
          h('h3', {}, 'The payload field as JSON'),
          bodyView(
            {
              text: payload,
              key: 'request-payload',
              label: 'Search the payload field',
              tryJson: true,
            },
            context,
          ),
        ),
    h('h3', {}, 'Raw'),
    request.bodyEncoding === 'base64' ? note('info', 'Not UTF-8 text: shown as base64.') : null,
    rawView(request.bodyText),
  );
}

function emptyText(): HTMLElement {
  return h('span', { class: 'muted-inline' }, '(empty)');
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

function headersTable(
  headers: ReadonlyArray<readonly [string, string]>,
  context?: ViewContext,
): HTMLElement {
  if (headers.length === 0) return muted('No headers.');
  return h(
    'table',
    { class: 'fields headers' },
    h(
      'tbody',
      {},
      ...headers.map(([name, value]) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, name),
          h(
            'td',
            {},
            value,
            context && name.toLowerCase() === 'authorization'
              ? button({
                  icon: 'shield',
                  label: 'Decoded on the Auth tab',
                  className: 'button secondary small',
                  onClick: () => context.selectTab('auth'),
                })
              : null,
          ),
        ),
      ),
    ),
  );
}

export function renderResponse(detail: DeliveryDetail, context: ViewContext): HTMLElement {
  const { response, forward } = detail;
  return h(
    'div',
    { class: 'tab-content' },
    section(
      'Answered to the sender',
      response
        ? responseBlock(response, 'response', 'Search the response body', context)
        : muted('The sender has not been answered yet.'),
    ),
    section(
      'Your handler',
      forward
        ? h(
            'div',
            {},
            h('p', { class: 'meta' }, 'The latest forward to your handler.'),
            fieldsTable([
              ['Target', forward.target],
              ['Sent', timeWithRelative(forward.at, context)],
              ['Error', forward.error],
            ]),
            forward.response
              ? responseBlock(
                  forward.response,
                  `forward:${forward.id}`,
                  'Search the handler response body',
                  context,
                )
              : muted('No response was recorded.'),
          )
        : muted(
            'Not forwarded. With hooklens.forwardTo set, each delivery is passed on to your handler, and its answer shows here.',
          ),
    ),
  );
}

function responseBlock(
  response: ResponseDetail,
  key: string,
  label: string,
  context: ViewContext,
): HTMLElement {
  return h(
    'div',
    { class: 'response' },
    fieldsTable([
      ['Status', statusBadge(response.status)],
      ['Time', `${response.timeMs} ms`],
    ]),
    h('h3', {}, `Headers (${response.headers.length})`),
    headersTable(response.headers),
    h('h3', {}, 'Body'),
    bodyView({ text: response.body, key, label, tryJson: true }, context),
  );
}

function statusBadge(status: number | null, none = 'No status'): HTMLElement {
  if (status === null) return h('span', { class: 'status none' }, none);
  const kind = status < 300 ? 'ok' : status < 400 ? 'redirect' : 'error';
  return h('span', { class: `status ${kind}` }, String(status));
}

const TIME_CLAIMS: ReadonlyArray<readonly [string, string]> = [
  ['iat', 'Issued at (iat)'],
  ['nbf', 'Not before (nbf)'],
  ['exp', 'Expires (exp)'],
];

/**
 * The Auth tab: the verdict once, who checked it with which scheme, what to do when no secret is
 * set, then the scheme's own details: a JWT's header, claims and times, or for a signature scheme
 * the tables it recorded (the header as received, the timestamp and its age, the tolerance, what
 * was signed, which secret matched). An unknown verdict, provider or scheme shows as it is.
 */
export function renderAuth(
  auth: AuthDetail,
  context: ViewContext,
  deliveryId: string,
): HTMLElement {
  const sections = auth.sections;
  // The signature schemes list the matched secret in their own table; say it once.
  const matchedInSections = sections.some((detail) =>
    detail.rows.some(([label]) => label === 'Matched secret'),
  );
  return h(
    'div',
    { class: 'tab-content auth' },
    verdictLine(auth.verdict, auth.reason),
    fieldsTable([
      ['Provider', providerText(auth)],
      ['Scheme', h('code', {}, auth.scheme ?? 'jwt')],
      ...(auth.matchedSecret === null || matchedInSections
        ? []
        : [['Matched secret', auth.matchedSecret] as const]),
      ['Checked', timeWithRelative(auth.checkedAt, context)],
      ...(auth.isJwt
        ? [
            [
              'Token',
              auth.tokenPresent
                ? 'Sent in the Authorization header (redacted on the Request tab)'
                : 'No Authorization header',
            ] as const,
          ]
        : []),
    ]),
    auth.missingSecret ? missingSecretCallout(auth.missingSecret, context, deliveryId) : null,
    ...(auth.isJwt ? jwtSections(auth, context) : []),
    ...sections.map((detail) =>
      section(
        detail.title,
        detail.rows.length === 0
          ? muted('Nothing recorded.')
          : fieldsTable(
              detail.rows.map(([label, value]) => [label, h('code', {}, value)] as const),
            ),
      ),
    ),
    !auth.isJwt && sections.length === 0
      ? muted('The scheme recorded no details for this delivery: the reason above says why.')
      : null,
  );
}

function providerText(auth: AuthDetail): HTMLElement {
  return h(
    'span',
    {},
    auth.providerLabel,
    // The id too when it says something the label does not (`--secret-env watson:NAME`).
    auth.providerLabel.toLowerCase() === auth.provider.toLowerCase()
      ? null
      : h('span', { class: 'muted-inline' }, ` (${auth.provider})`),
  );
}

function missingSecretCallout(
  missing: NonNullable<AuthDetail['missingSecret']>,
  context: ViewContext,
  deliveryId: string,
): HTMLElement {
  // The host opens Set Secret… on this delivery's provider; the secret is typed there, never here.
  const setSecret = button({
    icon: 'key',
    label: 'Set Secret…',
    title: "Set this provider's secret (kept in VS Code's secret storage)",
    className: 'button',
    onClick: () => context.post({ type: 'action', action: 'setSecret', deliveryId }),
  });
  setSecret.dataset.action = 'setSecret';
  return h(
    'div',
    { class: 'callout missing-secret' },
    note('key', h('strong', {}, missing.message)),
    missing.where === null ? null : h('p', { class: 'meta' }, missing.where),
    setSecret,
  );
}

function jwtSections(auth: AuthDetail, context: ViewContext): HTMLElement[] {
  const claims = auth.claims;
  const timeRows = claims
    ? TIME_CLAIMS.filter(([claim]) => Object.hasOwn(claims, claim)).map(
        ([claim, label]) => [label, claimTime(claims[claim], context)] as const,
      )
    : [];
  return [
    ...(timeRows.length > 0 ? [section('Times', fieldsTable(timeRows))] : []),
    section('JWT header', auth.header ? claimsTable(auth.header) : muted(notDecoded(auth))),
    section('Claims', claims ? claimsTable(claims) : muted(notDecoded(auth))),
  ];
}

function notDecoded(auth: AuthDetail): string {
  return auth.tokenPresent ? 'The token could not be decoded as a JWT.' : 'There is no token.';
}

function claimTime(value: unknown, context: ViewContext): Node {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return h(
      'span',
      {},
      claimText(value),
      h('span', { class: 'muted-inline' }, ' (not a NumericDate)'),
    );
  }
  const ms = value * 1000;
  return h(
    'span',
    {},
    new Date(ms).toLocaleString(),
    h('span', { class: 'relative' }, ` (${relativeTime(ms, context.now())})`),
  );
}

function claimsTable(values: Record<string, unknown>): HTMLElement {
  const keys = Object.keys(values);
  if (keys.length === 0) return muted('Empty.');
  return fieldsTable(keys.map((key) => [key, h('code', {}, claimText(values[key]))] as const));
}

function claimText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function timeWithRelative(iso: string, context: ViewContext): HTMLElement {
  const ms = Date.parse(iso);
  return h(
    'span',
    {},
    localTime(iso),
    Number.isNaN(ms)
      ? null
      : h('span', { class: 'relative' }, ` (${relativeTime(ms, context.now())})`),
  );
}

const TOKEN_MODE: Record<AttemptDetail['tokenMode'], string> = {
  original: 'Original token',
  fresh: 'Fresh token (signed with the current secret)',
  none: 'No token',
};

/** Which route the delivery took, or the answer chosen for it: said first on the Attempts tab. */
function routeNote(route: RouteDetail): HTMLElement {
  const title =
    route.kind === 'forward'
      ? `Route: ${route.name}`
      : route.kind === 'answer'
        ? `Chosen answer: route ${route.name}`
        : 'Chosen answer: failure simulation';
  return h(
    'div',
    { class: `route-note ${route.kind}`, role: 'note' },
    h(
      'h3',
      {},
      icon(route.kind === 'forward' ? 'git-merge' : 'beaker'),
      h('span', {}, title),
      route.status === null ? null : statusBadge(route.status),
    ),
    h('p', {}, route.sentence),
  );
}

export function renderAttempts(
  attempts: readonly AttemptDetail[],
  context: ViewContext,
  route?: RouteDetail,
): HTMLElement {
  const note = route ? routeNote(route) : null;
  if (attempts.length === 0) {
    return h(
      'div',
      { class: 'tab-content' },
      note,
      muted(
        route && route.kind !== 'forward'
          ? 'Not forwarded: the sender got the chosen answer. Replays are listed here.'
          : 'No forwards or replays yet. Each forward to your handler and each replay is listed here.',
      ),
    );
  }
  let replayNumber = 0;
  return h(
    'div',
    { class: 'tab-content' },
    note,
    h(
      'ol',
      { class: 'attempts' },
      ...attempts.map((attempt) => {
        const title = attempt.kind === 'forward' ? 'Forward' : `Replay ${++replayNumber}`;
        return renderAttempt(attempt, title, context);
      }),
    ),
  );
}

function renderAttempt(attempt: AttemptDetail, title: string, context: ViewContext): HTMLElement {
  const body = attempt.bodyEdited
    ? 'Edited before sending'
    : attempt.sentBodyIdentical === true
      ? 'As captured (byte for byte)'
      : attempt.sentBodyIdentical === false
        ? 'Differs from the captured body'
        : 'As captured';
  return h(
    'li',
    { class: `attempt ${attempt.error === null ? '' : 'failed'}` },
    h(
      'h3',
      {},
      icon(attempt.kind === 'forward' ? 'arrow-right' : 'debug-restart'),
      h('span', {}, title),
      // On the team store: who replayed it (user@host), as text like every stored string.
      attempt.by === undefined ? null : h('span', { class: 'attempt-by' }, `by ${attempt.by}`),
      statusBadge(attempt.status),
    ),
    fieldsTable([
      ...(attempt.route === undefined ? [] : [['Route', attempt.route] as const]),
      ['Target', attempt.target],
      ['Sent', timeWithRelative(attempt.at, context)],
      ['Status', attempt.status === null ? null : String(attempt.status)],
      ['Time Taken', attempt.timeMs === null ? null : `${attempt.timeMs} ms`],
      ['Token', TOKEN_MODE[attempt.tokenMode]],
      ['Body', body],
      ['Error', attempt.error],
    ]),
    attempt.response
      ? lazyDetails(`attempt:${attempt.id}`, 'Response', context, () =>
          responseBlock(
            attempt.response as ResponseDetail,
            `attempt:${attempt.id}`,
            'Search this response body',
            context,
          ),
        )
      : muted('No response was recorded.'),
  );
}

/** A <details> whose content is built when first opened, and whose open state survives updates. */
export function lazyDetails(
  key: string,
  summary: string,
  context: ViewContext,
  build: () => HTMLElement,
): HTMLElement {
  const details = h('details', {}, h('summary', {}, summary)) as HTMLDetailsElement;
  let built = false;
  const ensureBuilt = (): void => {
    if (built) return;
    built = true;
    details.append(build());
  };
  if (context.ui.openDetails.has(key)) {
    details.open = true;
    ensureBuilt();
  }
  details.addEventListener('toggle', () => {
    if (details.open) {
      context.ui.openDetails.add(key);
      ensureBuilt();
    } else {
      context.ui.openDetails.delete(key);
    }
  });
  return details;
}

export function renderEmpty(message: string): HTMLElement {
  return h('section', { class: 'empty' }, icon('inbox'), h('p', {}, message));
}
