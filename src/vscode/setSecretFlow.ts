// Set Secret… and Remove Secret…: which provider, then the value in a password box checked the way
// that provider's secrets look, optionally a label and a path prefix. Values never reach the log,
// the status bar or a message; only providers and labels do.
import * as vscode from 'vscode';
import type { Provider, SecretSpec } from '../core/providers/provider';
import { PROVIDERS, providerById, providerLabel } from '../core/providers/registry';
import { checkSecret, generateSecret } from '../core/secrets/secretPolicy';
import type { ConfiguredSecret } from '../core/secrets/secretRing';
import {
  DEFAULT_SECRET_PROVIDERS,
  defaultSecretOwners,
  describeEntry,
  entryOf,
  type SecretEntry,
  type SecretStore,
} from './secrets';

const TITLE = 'HookLens: Set Secret';

/** Schemes that also need a setting, said where their secret is asked for. */
const SETTING_NOTES: Readonly<Record<string, string>> = {
  'generic-hmac':
    'HookLens checks it as the hooklens.genericHmac setting describes (header, digest, what is signed).',
  twilio:
    'Twilio signs the URL it calls: set hooklens.publicBaseUrl when your tunnel changes the Host header.',
};
const DEFAULT_LABEL = 'current';

const GENERATE_BUTTON: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('sparkle'),
  tooltip: 'Generate a strong secret (copied to the clipboard)',
};

const OPTIONS_BUTTON: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('tag'),
  tooltip: 'Save with a label or for one path only (rotation, two accounts)…',
};

export interface SetSecretOptions {
  /** Skip the provider pick: set this provider's secret. */
  readonly provider?: string;
  /** The provider to highlight in the pick (the selected delivery's). */
  readonly preselect?: string;
}

type Role = 'signing' | 'verify-token';

interface ProviderItem extends vscode.QuickPickItem {
  readonly provider?: Provider;
  readonly role?: Role;
}

/** What one password box asks for. */
interface ValueSpec {
  readonly title: string;
  readonly prompt: string;
  readonly placeholder: string;
  readonly password: boolean;
  readonly canGenerate: boolean;
  readonly canAddOptions: boolean;
  /** Severity and text for a value, or undefined when it looks right. */
  readonly check: (value: string) => vscode.InputBoxValidationMessage | undefined;
  /** What is stored: issued secrets and keys lose stray whitespace from the copy. */
  readonly normalise: (value: string) => string;
}

interface ValueAnswer {
  readonly value: string;
  readonly generated: boolean;
  readonly wantsOptions: boolean;
}

/**
 * Asks for a provider, then its secret, and stores it: Watson, Rapida and generic webhooks share
 * the default secret (as before providers existed, so a secret set then still works); the others
 * are kept per provider and label.
 */
export async function runSetSecretFlow(
  secrets: SecretStore,
  log: vscode.LogOutputChannel,
  options: SetSecretOptions = {},
): Promise<void> {
  const existing = await secrets.getAll();
  const direct = options.provider === undefined ? undefined : providerById(options.provider);
  const picked = direct
    ? { provider: direct, role: 'signing' as const }
    : await pickProvider(existing, options.preselect);
  if (!picked) return;
  const { provider, role } = picked;
  if (role === 'verify-token') {
    await setVerifyToken(secrets, log, provider);
    return;
  }
  const usesDefault = isDefaultSecretProvider(provider);
  const answer = await askValue(valueSpecFor(provider, usesDefault));
  if (!answer) return;

  let label = DEFAULT_LABEL;
  let pathPrefix: string | undefined;
  if (answer.wantsOptions) {
    const chosen = await askLabelAndPath(provider, existing);
    if (!chosen) return;
    ({ label, pathPrefix } = chosen);
  }

  const subject = secretSubject(provider);
  if (usesDefault) {
    await secrets.set(answer.value);
  } else {
    await secrets.addProviderSecret({
      provider: provider.id,
      label,
      value: answer.value,
      ...(pathPrefix === undefined ? {} : { pathPrefix }),
    });
  }
  const stored = usesDefault
    ? `default JWT secret (${defaultSecretOwners()})`
    : describeEntry({
        provider: provider.id,
        label,
        role: 'signing',
        ...(pathPrefix === undefined ? {} : { pathPrefix }),
      });
  if (answer.generated) {
    await vscode.env.clipboard.writeText(answer.value);
    log.info(`Generated and saved the ${stored} (value not logged).`);
    void vscode.window.showInformationMessage(
      `HookLens generated ${withArticle(subject)} and copied it to the clipboard. Paste it into ${provider.secret.where}.`,
    );
  } else {
    log.info(`Saved the ${stored} (value not logged).`);
    const which = `${label === DEFAULT_LABEL ? '' : ` '${label}'`}${pathPrefix === undefined ? '' : ` for ${pathPrefix}`}`;
    void vscode.window.setStatusBarMessage(`$(key) HookLens: ${subject}${which} saved`, 4000);
  }

  if (provider.verifyToken && !existing.some((secret) => isVerifyTokenOf(secret, provider))) {
    await setVerifyToken(secrets, log, provider, true);
  }
}

/** Lists the secrets by provider and label (never their values) and removes the one picked. */
export async function runRemoveSecretFlow(
  secrets: SecretStore,
  log: vscode.LogOutputChannel,
): Promise<void> {
  const entries = await secrets.entries();
  if (entries.length === 0) {
    await vscode.window.showInformationMessage('HookLens has no secrets set.');
    return;
  }
  const items = entries.map((entry) => ({ ...removeItem(entry), entry }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'HookLens: Remove Secret',
    placeHolder: 'Which secret should HookLens forget?',
    matchOnDescription: true,
  });
  if (!picked) return;
  const { entry } = picked;
  const others = entries.filter(
    (other) => other !== entry && other.provider === entry.provider && other.role === entry.role,
  );
  const who = entry.provider === null ? defaultSecretOwners() : providerLabel(entry.provider);
  const consequence =
    entry.role === 'verify-token'
      ? `Meta's subscription check will be refused until a verify token is set again.`
      : others.length > 0
        ? `${who} deliveries are still checked with the other ${others.length === 1 ? 'secret' : 'secrets'} (${others.map((other) => `'${other.label}'`).join(', ')}).`
        : `${who} deliveries will be accepted but marked unverified until you set one again.`;
  const answer = await vscode.window.showWarningMessage(
    `Remove the ${describeEntry(entry)}?`,
    { modal: true, detail: consequence },
    'Remove',
  );
  if (answer !== 'Remove') return;
  await secrets.remove(entry);
  log.info(`Removed the ${describeEntry(entry)}.`);
  void vscode.window.setStatusBarMessage(
    `$(key) HookLens: removed the ${describeEntry(entry)}`,
    4000,
  );
}

function removeItem(entry: SecretEntry): vscode.QuickPickItem {
  if (entry.provider === null) {
    return {
      label: `$(key) ${defaultSecretOwners()}`,
      description: 'default JWT secret',
    };
  }
  const provider = providerById(entry.provider);
  const noun =
    entry.role === 'verify-token'
      ? (provider?.verifyToken?.noun ?? 'verify token')
      : (provider?.secret.noun ?? 'secret');
  const path = entry.pathPrefix === undefined ? '' : ` · for ${entry.pathPrefix}`;
  return {
    label: `$(key) ${providerLabel(entry.provider)}`,
    description: `${noun} '${entry.label}'${path}`,
  };
}

async function pickProvider(
  existing: readonly ConfiguredSecret[],
  preselect: string | undefined,
): Promise<{ provider: Provider; role: Role } | undefined> {
  const jwt = PROVIDERS.filter(isDefaultSecretProvider).sort(
    (a, b) =>
      DEFAULT_SECRET_PROVIDERS.indexOf(a.id as (typeof DEFAULT_SECRET_PROVIDERS)[number]) -
      DEFAULT_SECRET_PROVIDERS.indexOf(b.id as (typeof DEFAULT_SECRET_PROVIDERS)[number]),
  );
  const signed = PROVIDERS.filter(
    (provider) => !isDefaultSecretProvider(provider) && provider.id !== 'generic-hmac',
  ).sort((a, b) => a.label.localeCompare(b.label));
  const other = PROVIDERS.filter((provider) => provider.id === 'generic-hmac');
  const separator = (label: string): ProviderItem => ({
    label,
    kind: vscode.QuickPickItemKind.Separator,
  });
  const items: ProviderItem[] = [
    separator('JWT in the Authorization header: one shared secret'),
    ...jwt.map((provider) => providerItem(provider, existing)),
    separator('Signed by the provider'),
    ...signed.flatMap((provider) => [
      providerItem(provider, existing),
      ...(provider.verifyToken ? [verifyTokenItem(provider, existing)] : []),
    ]),
    separator('Other senders'),
    ...other.map((provider) => providerItem(provider, existing)),
  ];

  const pick = vscode.window.createQuickPick<ProviderItem>();
  pick.title = TITLE;
  pick.placeholder = 'Which sender is this secret for?';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.ignoreFocusOut = true;
  pick.items = items;
  const wanted = preselect === 'unknown' ? 'generic' : preselect;
  const highlighted = items.find((item) => item.provider?.id === wanted && item.role === 'signing');
  if (highlighted) pick.activeItems = [highlighted];
  const chosen = await new Promise<ProviderItem | undefined>((resolve) => {
    let done = false;
    const finish = (item: ProviderItem | undefined): void => {
      if (done) return;
      done = true;
      resolve(item);
      pick.dispose();
    };
    pick.onDidAccept(() => finish(pick.selectedItems[0]));
    pick.onDidHide(() => finish(undefined));
    pick.show();
  });
  if (!chosen?.provider || !chosen.role) return undefined;
  return { provider: chosen.provider, role: chosen.role };
}

function providerItem(provider: Provider, existing: readonly ConfiguredSecret[]): ProviderItem {
  const usesDefault = isDefaultSecretProvider(provider);
  const set = existing.filter((secret) =>
    usesDefault
      ? secret.provider === null
      : secret.provider === provider.id && (secret.role ?? 'signing') === 'signing',
  );
  const status =
    set.length === 0
      ? undefined
      : usesDefault
        ? '$(check) set (shared)'
        : `$(check) set: ${set.map((secret) => `'${secret.label}'${secret.pathPrefix ? ` for ${secret.pathPrefix}` : ''}`).join(', ')}`;
  return {
    label: provider.label,
    description: [provider.secret.noun, status].filter(Boolean).join(' · '),
    provider,
    role: 'signing',
  };
}

function verifyTokenItem(provider: Provider, existing: readonly ConfiguredSecret[]): ProviderItem {
  const set = existing.some((secret) => isVerifyTokenOf(secret, provider));
  return {
    label: `${provider.label}: ${provider.verifyToken?.noun ?? 'verify token'}`,
    description: ['answers the subscription check', set ? '$(check) set' : undefined]
      .filter(Boolean)
      .join(' · '),
    provider,
    role: 'verify-token',
  };
}

function isVerifyTokenOf(secret: ConfiguredSecret, provider: Provider): boolean {
  return secret.provider === provider.id && secret.role === 'verify-token';
}

/** Watson, Rapida and generic webhooks: verified with a JWT and the default secret. */
function isDefaultSecretProvider(provider: Provider): boolean {
  return (DEFAULT_SECRET_PROVIDERS as readonly string[]).includes(provider.id);
}

/** "GitHub webhook secret", "Stripe signing secret"; the generic senders say just the noun. */
function secretSubject(provider: Provider): string {
  return provider.id === 'generic' || provider.id === 'generic-hmac'
    ? provider.secret.noun
    : `${provider.label} ${provider.secret.noun}`;
}

function valueSpecFor(provider: Provider, usesDefault: boolean): ValueSpec {
  const spec = provider.secret;
  const subject = secretSubject(provider);
  const chosen = spec.kind === 'chosen';
  const prompt = [
    `${capitalise(subject)}: ${spec.where}.`,
    chosen ? 'Or generate one (top-right button) and paste it there.' : undefined,
    usesDefault
      ? `One secret verifies ${defaultSecretOwners()} deliveries.`
      : spec.kind === 'public-key'
        ? 'It is public; HookLens keeps it with the secrets.'
        : undefined,
    SETTING_NOTES[provider.scheme],
    usesDefault ? undefined : 'The tag button saves it under a label or for one path only.',
  ]
    .filter(Boolean)
    .join(' ');
  return {
    title: `${TITLE} for ${provider.label}`,
    prompt,
    placeholder: chosen ? `Paste or type the ${spec.noun}` : `Paste the ${spec.noun}`,
    password: spec.kind !== 'public-key',
    canGenerate: chosen,
    canAddOptions: !usesDefault,
    check: provider.scheme === 'jwt' ? jwtCheck : (value) => providerCheck(spec, value),
    normalise: chosen ? (value) => value : (value) => value.trim(),
  };
}

function jwtCheck(value: string): vscode.InputBoxValidationMessage | undefined {
  const check = checkSecret(value);
  if (!check.ok) return { message: check.error, severity: vscode.InputBoxValidationSeverity.Error };
  const [first] = check.warnings;
  return first
    ? { message: first, severity: vscode.InputBoxValidationSeverity.Warning }
    : undefined;
}

function providerCheck(
  spec: SecretSpec,
  value: string,
): vscode.InputBoxValidationMessage | undefined {
  if (value.trim() === '') {
    return {
      message: `The ${spec.noun} is empty.`,
      severity: vscode.InputBoxValidationSeverity.Error,
    };
  }
  const problem = spec.validate?.(value.trim());
  if (problem !== undefined) {
    // A malformed public key can never verify anything; other format hints may be wrong.
    return {
      message: problem,
      severity:
        spec.kind === 'public-key'
          ? vscode.InputBoxValidationSeverity.Error
          : vscode.InputBoxValidationSeverity.Warning,
    };
  }
  if (value.trim() !== value) {
    return spec.kind === 'chosen'
      ? {
          message: `The ${spec.noun} starts or ends with whitespace; senders usually trim it, so signatures may not match.`,
          severity: vscode.InputBoxValidationSeverity.Warning,
        }
      : {
          message: 'The whitespace at the start or end is left out when it is saved.',
          severity: vscode.InputBoxValidationSeverity.Info,
        };
  }
  return undefined;
}

/** The password box; resolves with the value once it passes its checks, or undefined. */
async function askValue(spec: ValueSpec): Promise<ValueAnswer | undefined> {
  const input = vscode.window.createInputBox();
  input.title = spec.title;
  input.prompt = spec.prompt;
  input.placeholder = spec.placeholder;
  input.password = spec.password;
  input.ignoreFocusOut = true;
  input.buttons = [
    ...(spec.canGenerate ? [GENERATE_BUTTON] : []),
    ...(spec.canAddOptions ? [OPTIONS_BUTTON] : []),
  ];
  return new Promise<ValueAnswer | undefined>((resolve) => {
    let done = false;
    const finish = (answer: ValueAnswer | undefined): void => {
      if (done) return;
      done = true;
      resolve(answer);
      input.dispose();
    };
    /** The value when it may be saved; otherwise shows why not and returns undefined. */
    const acceptable = (): string | undefined => {
      const message =
        input.value === ''
          ? {
              message: 'Paste the secret first.',
              severity: vscode.InputBoxValidationSeverity.Error,
            }
          : spec.check(input.value);
      if (message?.severity === vscode.InputBoxValidationSeverity.Error) {
        input.validationMessage = message;
        return undefined;
      }
      return spec.normalise(input.value);
    };
    input.onDidChangeValue((value) => {
      input.validationMessage = value === '' ? undefined : spec.check(value);
    });
    input.onDidTriggerButton((button) => {
      if (button === GENERATE_BUTTON) {
        finish({ value: generateSecret(), generated: true, wantsOptions: false });
        return;
      }
      if (button === OPTIONS_BUTTON) {
        const value = acceptable();
        if (value !== undefined) finish({ value, generated: false, wantsOptions: true });
      }
    });
    input.onDidAccept(() => {
      const value = acceptable();
      if (value !== undefined) finish({ value, generated: false, wantsOptions: false });
    });
    input.onDidHide(() => finish(undefined));
    input.show();
  });
}

async function askLabelAndPath(
  provider: Provider,
  existing: readonly ConfiguredSecret[],
): Promise<{ label: string; pathPrefix: string | undefined } | undefined> {
  const mine = existing.filter(
    (secret) => secret.provider === provider.id && (secret.role ?? 'signing') === 'signing',
  );
  const label = await vscode.window.showInputBox({
    title: `${TITLE} for ${provider.label}: label`,
    prompt: `A name to tell this ${provider.label} secret from others (previous, account B). The same label replaces that secret.`,
    value: mine.some((secret) => secret.label === DEFAULT_LABEL) ? 'new' : DEFAULT_LABEL,
    ignoreFocusOut: true,
    validateInput: (text) => {
      const value = text.trim();
      if (value === '') return 'Give the secret a label.';
      if (value.length > 40) return 'Keep the label under 40 characters.';
      if (mine.some((secret) => secret.label === value)) {
        return {
          message: `Replaces the ${provider.label} secret labelled '${value}'.`,
          severity: vscode.InputBoxValidationSeverity.Warning,
        };
      }
      return undefined;
    },
  });
  if (label === undefined) return undefined;
  const path = await vscode.window.showInputBox({
    title: `${TITLE} for ${provider.label}: path`,
    prompt: `Use this secret only for deliveries whose path starts with this, such as /stripe/b for a second account. Empty: every path.`,
    placeHolder: '/webhooks/account-b',
    ignoreFocusOut: true,
    validateInput: (text) => {
      const value = text.trim();
      if (value === '') return undefined;
      if (!value.startsWith('/')) return 'A path starts with /.';
      if (/[\s?#]/.test(value)) return 'Only the path: no spaces, query or fragment.';
      return undefined;
    },
  });
  if (path === undefined) return undefined;
  const pathPrefix = path.trim();
  return { label: label.trim(), pathPrefix: pathPrefix === '' ? undefined : pathPrefix };
}

/** Meta's verify token: answered on its subscription check; `optional` after the App Secret. */
async function setVerifyToken(
  secrets: SecretStore,
  log: vscode.LogOutputChannel,
  provider: Provider,
  optional = false,
): Promise<void> {
  const token = provider.verifyToken;
  if (!token) return;
  const answer = await askValue({
    title: `${TITLE} for ${provider.label}: ${token.noun}`,
    prompt: [
      `${capitalise(token.noun)}: ${token.where}. HookLens answers ${provider.label}'s subscription check when it matches.`,
      optional ? 'Press Escape to skip.' : undefined,
    ]
      .filter(Boolean)
      .join(' '),
    placeholder: `Type the ${token.noun}, or use the Generate button (top right)`,
    password: true,
    canGenerate: true,
    canAddOptions: false,
    check: (value) =>
      value.trim() !== value
        ? {
            message: `The ${token.noun} starts or ends with whitespace; it must match exactly.`,
            severity: vscode.InputBoxValidationSeverity.Warning,
          }
        : undefined,
    normalise: (value) => value,
  });
  if (!answer) return;
  const entry: ConfiguredSecret = {
    provider: provider.id,
    label: DEFAULT_LABEL,
    value: answer.value,
    role: 'verify-token',
  };
  await secrets.addProviderSecret(entry);
  const described = describeEntry(entryOf(entry));
  if (answer.generated) {
    await vscode.env.clipboard.writeText(answer.value);
    log.info(`Generated and saved the ${described} (value not logged).`);
    void vscode.window.showInformationMessage(
      `HookLens generated ${withArticle(`${provider.label} ${token.noun}`)} and copied it to the clipboard. Paste it into ${token.where}.`,
    );
  } else {
    log.info(`Saved the ${described} (value not logged).`);
    void vscode.window.setStatusBarMessage(
      `$(key) HookLens: ${provider.label} ${token.noun} saved`,
      4000,
    );
  }
}

/** "a GitHub webhook secret", "an HMAC secret". */
function withArticle(noun: string): string {
  return `${/^(?:[aeiou]|HMAC)/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
