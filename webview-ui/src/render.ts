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
import * as l10n from '@vscode/l10n';
import { presentVerdict } from '../../src/shared/verdicts';
import { bodyView, rawView } from './body';
import type { ViewContext } from './context';
import { button, fieldsTable, h, icon, muted, note, section } from './dom';
import { formatBytes, localTime, milliseconds, relativeTime } from './format';
import { dateTime } from './locale';
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
  const title = overview.headline ?? overview.event ?? l10n.t('Unknown event');
  const verdictChip = h(
    'span',
    { class: `verdict-chip ${verdict.severity === 'ok' ? 'ok' : 'problem'}` },
    icon(verdict.icon),
    h('span', {}, verdict.label),
  );
  const outcomeChip = h(
    'span',
    { class: `outcome ${outcome.failed ? 'problem' : 'ok'}` },
    statusBadge(
      overview.httpStatus,
      outcome.kind === 'pending' ? l10n.t('No answer yet') : l10n.t('No status'),
    ),
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
            { class: 'pinned', title: l10n.t('This panel stays on this delivery') },
            icon('pinned'),
            l10n.t('Pinned'),
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
      [l10n.t('Webhook ID'), overview.id],
      [l10n.t('Session ID'), overview.sessionId],
      [l10n.t('Event'), overview.event],
      [l10n.t('Endpoint'), overview.endpoint],
      [l10n.t('HTTP Status'), overview.httpStatus === null ? null : String(overview.httpStatus)],
      [
        l10n.t('Time Taken'),
        overview.timeTakenMs === null ? null : milliseconds(overview.timeTakenMs),
      ],
      // The sender's own retries; the developer's replays are counted apart.
      [l10n.t('Retry Count'), String(overview.retryCount)],
      [l10n.t('Replays'), String(overview.replayCount)],
      [l10n.t('Created Date'), localTime(overview.createdAt)],
      [l10n.t('Delivery'), overview.outcome.sentence],
      [l10n.t('Sender'), overview.sender],
      ...(duplicateOf === null
        ? []
        : [
            [
              l10n.t('Duplicate of'),
              h(
                'span',
                { class: 'inline-actions' },
                h('code', {}, duplicateOf),
                button({
                  icon: 'go-to-file',
                  label: l10n.t('Open'),
                  title: l10n.t('Open the delivery this one repeats'),
                  className: 'button secondary small',
                  onClick: () => context.post({ type: 'openDelivery', deliveryId: duplicateOf }),
                }),
              ),
            ] as const,
          ]),
      ...(duplicateCount > 0
        ? [
            [
              l10n.t('Repeated by'),
              duplicateCount === 1
                ? l10n.t('1 later delivery')
                : l10n.t('{0} later deliveries', duplicateCount),
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
      l10n.t('Request line'),
      h('pre', { class: 'request-line' }, `${request.method} ${request.url}`),
    ),
    section(
      l10n.t('Headers ({0})', request.headers.length),
      headersTable(request.headers, context),
    ),
    section(
      l10n.t('Body'),
      h(
        'p',
        { class: 'meta' },
        formatBytes(request.bodySize),
        ' · ',
        request.contentType ?? l10n.t('no Content-Type'),
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
          shownBytes
            ? l10n.t(
                'This body is {0}: the panel shows its first {1} as raw text, without the tree.',
                formatBytes(request.bodySize),
                shownBytes,
              )
            : l10n.t(
                'This body is {0}: the panel shows its beginning as raw text, without the tree.',
                formatBytes(request.bodySize),
              ),
        ),
        button({
          icon: 'go-to-file',
          label: l10n.t('Open full body'),
          title: l10n.t('Open the whole body in a read-only editor'),
          onClick: () => context.post({ type: 'action', action: 'openBody', deliveryId }),
        }),
      ),
      request.bodyEncoding === 'base64'
        ? note('info', l10n.t('Not UTF-8 text: shown as base64.'))
        : null,
      rawView(request.bodyText),
    );
  }
  if (request.bodyEncoding === 'base64') {
    return h(
      'div',
      { class: 'body-view' },
      note('info', l10n.t('Not UTF-8 text: shown as base64.')),
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
        label: l10n.t('Search the request body'),
        treeLabel: l10n.t('Request body'),
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
    h('h3', {}, l10n.t('Form fields ({0})', form.length)),
    form.length === 0
      ? muted(l10n.t('No fields.'))
      : h(
          'table',
          { class: 'fields headers form-fields' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, l10n.t('Name')),
              h('th', { scope: 'col' }, l10n.t('Value')),
            ),
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
      ? muted(
          l10n.t('The first {0} of {1} fields; Raw below has them all.', shown.length, form.length),
        )
      : null,
    payload === undefined || parseLossless(payload).ok !== true
      ? null
      : h(
          'div',
          {},
          h('h3', {}, l10n.t('The payload field as JSON')),
          bodyView(
            {
              text: payload,
              key: 'request-payload',
              label: l10n.t('Search the payload field'),
              treeLabel: l10n.t('Payload field'),
              tryJson: true,
            },
            context,
          ),
        ),
    h('h3', {}, l10n.t('Raw')),
    request.bodyEncoding === 'base64'
      ? note('info', l10n.t('Not UTF-8 text: shown as base64.'))
      : null,
    rawView(request.bodyText),
  );
}

function emptyText(): HTMLElement {
  return h('span', { class: 'muted-inline' }, l10n.t('(empty)'));
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

function headersTable(
  headers: ReadonlyArray<readonly [string, string]>,
  context?: ViewContext,
): HTMLElement {
  if (headers.length === 0) return muted(l10n.t('No headers.'));
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
                  label: l10n.t('Decoded on the Auth tab'),
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
      l10n.t('Answered to the sender'),
      response
        ? responseBlock(
            response,
            'response',
            {
              label: l10n.t('Search the response body'),
              treeLabel: l10n.t('Response body'),
            },
            context,
          )
        : muted(l10n.t('The sender has not been answered yet.')),
    ),
    section(
      l10n.t('Your handler'),
      forward
        ? h(
            'div',
            {},
            h('p', { class: 'meta' }, l10n.t('The latest forward to your handler.')),
            fieldsTable([
              [l10n.t('Target'), forward.target],
              [l10n.t('Sent'), timeWithRelative(forward.at, context)],
              [l10n.t('Error'), forward.error],
            ]),
            forward.response
              ? responseBlock(
                  forward.response,
                  `forward:${forward.id}`,
                  {
                    label: l10n.t('Search the handler response body'),
                    treeLabel: l10n.t('Handler response body'),
                  },
                  context,
                )
              : muted(l10n.t('No response was recorded.')),
          )
        : muted(
            l10n.t(
              'Not forwarded. With hooklens.forwardTo set, each delivery is passed on to your handler, and its answer shows here.',
            ),
          ),
    ),
  );
}

function responseBlock(
  response: ResponseDetail,
  key: string,
  search: { readonly label: string; readonly treeLabel: string },
  context: ViewContext,
): HTMLElement {
  return h(
    'div',
    { class: 'response' },
    fieldsTable([
      [l10n.t('Status'), statusBadge(response.status)],
      [l10n.t('Time'), milliseconds(response.timeMs)],
    ]),
    h('h3', {}, l10n.t('Headers ({0})', response.headers.length)),
    headersTable(response.headers),
    h('h3', {}, l10n.t('Body')),
    bodyView({ text: response.body, key, ...search, tryJson: true }, context),
  );
}

function statusBadge(status: number | null, none = l10n.t('No status')): HTMLElement {
  if (status === null) return h('span', { class: 'status none' }, none);
  const kind = status < 300 ? 'ok' : status < 400 ? 'redirect' : 'error';
  return h('span', { class: `status ${kind}` }, String(status));
}

function timeClaims(): ReadonlyArray<readonly [string, string]> {
  return [
    ['iat', l10n.t('Issued at (iat)')],
    ['nbf', l10n.t('Not before (nbf)')],
    ['exp', l10n.t('Expires (exp)')],
  ];
}

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
  // The signature schemes list the matched secret in their own table; say it once. Their tables
  // were recorded with the delivery, in English: the label is looked for as it was stored.
  const matchedInSections = sections.some((detail) =>
    detail.rows.some(([label]) => label === 'Matched secret'),
  );
  return h(
    'div',
    { class: 'tab-content auth' },
    verdictLine(auth.verdict, auth.reason),
    fieldsTable([
      [l10n.t('Provider'), providerText(auth)],
      [l10n.t('Scheme'), h('code', {}, auth.scheme ?? 'jwt')],
      ...(auth.matchedSecret === null || matchedInSections
        ? []
        : [[l10n.t('Matched secret'), auth.matchedSecret] as const]),
      [l10n.t('Checked'), timeWithRelative(auth.checkedAt, context)],
      ...(auth.isJwt
        ? [
            [
              l10n.t('Token'),
              auth.tokenPresent
                ? l10n.t('Sent in the Authorization header (redacted on the Request tab)')
                : l10n.t('No Authorization header'),
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
          ? muted(l10n.t('Nothing recorded.'))
          : fieldsTable(
              detail.rows.map(([label, value]) => [label, h('code', {}, value)] as const),
            ),
      ),
    ),
    !auth.isJwt && sections.length === 0
      ? muted(
          l10n.t('The scheme recorded no details for this delivery: the reason above says why.'),
        )
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
    label: l10n.t('Set Secret…'),
    title: l10n.t("Set this provider's secret (kept in VS Code's secret storage)"),
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
    ? timeClaims()
        .filter(([claim]) => Object.hasOwn(claims, claim))
        .map(([claim, label]) => [label, claimTime(claims[claim], context)] as const)
    : [];
  return [
    ...(timeRows.length > 0 ? [section(l10n.t('Times'), fieldsTable(timeRows))] : []),
    section(l10n.t('JWT header'), auth.header ? claimsTable(auth.header) : muted(notDecoded(auth))),
    section(l10n.t('Claims'), claims ? claimsTable(claims) : muted(notDecoded(auth))),
  ];
}

function notDecoded(auth: AuthDetail): string {
  return auth.tokenPresent
    ? l10n.t('The token could not be decoded as a JWT.')
    : l10n.t('There is no token.');
}

function claimTime(value: unknown, context: ViewContext): Node {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return h(
      'span',
      {},
      claimText(value),
      h('span', { class: 'muted-inline' }, ` ${l10n.t('(not a NumericDate)')}`),
    );
  }
  const ms = value * 1000;
  return h(
    'span',
    {},
    dateTime(ms),
    h('span', { class: 'relative' }, ` (${relativeTime(ms, context.now())})`),
  );
}

function claimsTable(values: Record<string, unknown>): HTMLElement {
  const keys = Object.keys(values);
  if (keys.length === 0) return muted(l10n.t('Empty.'));
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

function tokenMode(mode: AttemptDetail['tokenMode']): string {
  switch (mode) {
    case 'original':
      return l10n.t('Original token');
    case 'fresh':
      return l10n.t('Fresh token (signed with the current secret)');
    case 'none':
      return l10n.t('No token');
  }
}

/** Which route the delivery took, or the answer chosen for it: said first on the Attempts tab. */
function routeNote(route: RouteDetail): HTMLElement {
  const title =
    route.kind === 'forward'
      ? l10n.t('Route: {0}', route.name)
      : route.kind === 'answer'
        ? l10n.t('Chosen answer: route {0}', route.name)
        : l10n.t('Chosen answer: failure simulation');
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
          ? l10n.t('Not forwarded: the sender got the chosen answer. Replays are listed here.')
          : l10n.t(
              'No forwards or replays yet. Each forward to your handler and each replay is listed here.',
            ),
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
        const title =
          attempt.kind === 'forward' ? l10n.t('Forward') : l10n.t('Replay {0}', ++replayNumber);
        return renderAttempt(attempt, title, context);
      }),
    ),
  );
}

function renderAttempt(attempt: AttemptDetail, title: string, context: ViewContext): HTMLElement {
  const body = attempt.bodyEdited
    ? l10n.t('Edited before sending')
    : attempt.sentBodyIdentical === true
      ? l10n.t('As captured (byte for byte)')
      : attempt.sentBodyIdentical === false
        ? l10n.t('Differs from the captured body')
        : l10n.t('As captured');
  return h(
    'li',
    { class: `attempt ${attempt.error === null ? '' : 'failed'}` },
    h(
      'h3',
      {},
      icon(attempt.kind === 'forward' ? 'arrow-right' : 'debug-restart'),
      h('span', {}, title),
      // On the team store: who replayed it (user@host), as text like every stored string.
      attempt.by === undefined
        ? null
        : h('span', { class: 'attempt-by' }, l10n.t('by {0}', attempt.by)),
      statusBadge(attempt.status),
    ),
    fieldsTable([
      ...(attempt.route === undefined ? [] : [[l10n.t('Route'), attempt.route] as const]),
      [l10n.t('Target'), attempt.target],
      [l10n.t('Sent'), timeWithRelative(attempt.at, context)],
      [l10n.t('Status'), attempt.status === null ? null : String(attempt.status)],
      [l10n.t('Time Taken'), attempt.timeMs === null ? null : milliseconds(attempt.timeMs)],
      [l10n.t('Token'), tokenMode(attempt.tokenMode)],
      [l10n.t('Body'), body],
      [l10n.t('Error'), attempt.error],
    ]),
    attempt.response
      ? lazyDetails(`attempt:${attempt.id}`, l10n.t('Response'), context, () =>
          responseBlock(
            attempt.response as ResponseDetail,
            `attempt:${attempt.id}`,
            {
              label: l10n.t('Search this response body'),
              treeLabel: l10n.t('This response body'),
            },
            context,
          ),
        )
      : muted(l10n.t('No response was recorded.')),
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
