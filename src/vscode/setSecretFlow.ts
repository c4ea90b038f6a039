// Set Secret… and Remove Secret…: which provider, then the value in a password box checked the way
// that provider's secrets look, optionally a label and a path prefix. Values never reach the log,
// the status bar or a message; only providers and labels do. What the user reads goes through
// vscode.l10n; the nouns and hints of providers come from core and stay English.
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
  entryText,
  type SecretEntry,
  type SecretStore,
} from './secrets';

/** The flow's title; a function so that it is translated when shown. */
const title = (): string => vscode.l10n.t('HookLens: Set Secret');

/** Schemes that also need a setting, said where their secret is asked for. */
const SETTING_NOTES: Readonly<Record<string, () => string>> = {
  'generic-hmac': () =>
    vscode.l10n.t(
      'HookLens checks it as the hooklens.genericHmac setting describes (header, digest, what is signed).',
    ),
  twilio: () =>
    vscode.l10n.t(
      'Twilio signs the URL it calls: set hooklens.publicBaseUrl when your tunnel changes the Host header.',
    ),
};
/** The label a secret is stored under unless the user names one (stored data, not translated). */
const DEFAULT_LABEL = 'current';

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
  const stored = describeEntry({
    provider: usesDefault ? null : provider.id,
    label,
    role: 'signing',
    ...(pathPrefix === undefined || usesDefault ? {} : { pathPrefix }),
  });
  if (answer.generated) {
    await vscode.env.clipboard.writeText(answer.value);
    log.info(`Generated and saved the ${stored} (value not logged).`);
    void vscode.window.showInformationMessage(generatedMessage(subject, provider.secret.where));
  } else {
    log.info(`Saved the ${stored} (value not logged).`);
    void vscode.window.setStatusBarMessage(
      savedMessage(subject, label === DEFAULT_LABEL ? undefined : label, pathPrefix),
      4000,
    );
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
    await vscode.window.showInformationMessage(vscode.l10n.t('HookLens has no secrets set.'));
    return;
  }
  const items = entries.map((entry) => ({ ...removeItem(entry), entry }));
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('HookLens: Remove Secret'),
    placeHolder: vscode.l10n.t('Which secret should HookLens forget?'),
    matchOnDescription: true,
  });
  if (!picked) return;
  const { entry } = picked;
  const others = entries.filter(
    (other) => other !== entry && other.provider === entry.provider && other.role === entry.role,
  );
  const who = entry.provider === null ? defaultSecretOwners() : providerLabel(entry.provider);
  const kept = others.map((other) => `'${other.label}'`).join(', ');
  const consequence =
    entry.role === 'verify-token'
      ? vscode.l10n.t(
          "Meta's subscription check will be refused until a verify token is set again.",
        )
      : others.length === 1
        ? vscode.l10n.t('{0} deliveries are still checked with the other secret ({1}).', who, kept)
        : others.length > 1
          ? vscode.l10n.t(
              '{0} deliveries are still checked with the other secrets ({1}).',
              who,
              kept,
            )
          : vscode.l10n.t(
              '{0} deliveries will be accepted but marked unverified until you set one again.',
              who,
            );
  // The button's label is what comes back, so it is compared with the same translation.
  const remove = vscode.l10n.t('Remove');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Remove the {0}?', entryText(entry)),
    { modal: true, detail: consequence },
    remove,
  );
  if (answer !== remove) return;
  await secrets.remove(entry);
  log.info(`Removed the ${describeEntry(entry)}.`);
  void vscode.window.setStatusBarMessage(
    vscode.l10n.t('$(key) HookLens: removed the {0}', entryText(entry)),
    4000,
  );
}

function removeItem(entry: SecretEntry): vscode.QuickPickItem {
  if (entry.provider === null) {
    return {
      label: `$(key) ${defaultSecretOwners()}`,
      description: vscode.l10n.t('default JWT secret'),
    };
  }
  const provider = providerById(entry.provider);
  const noun =
    entry.role === 'verify-token'
      ? (provider?.verifyToken?.noun ?? vscode.l10n.t('verify token'))
      : (provider?.secret.noun ?? vscode.l10n.t('secret'));
  return {
    label: `$(key) ${providerLabel(entry.provider)}`,
    description:
      entry.pathPrefix === undefined
        ? vscode.l10n.t("{0} '{1}'", noun, entry.label)
        : vscode.l10n.t("{0} '{1}' · for {2}", noun, entry.label, entry.pathPrefix),
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
    separator(vscode.l10n.t('JWT in the Authorization header: one shared secret')),
    ...jwt.map((provider) => providerItem(provider, existing)),
    separator(vscode.l10n.t('Signed by the provider')),
    ...signed.flatMap((provider) => [
      providerItem(provider, existing),
      ...(provider.verifyToken ? [verifyTokenItem(provider, existing)] : []),
    ]),
    separator(vscode.l10n.t('Other senders')),
    ...other.map((provider) => providerItem(provider, existing)),
  ];

  const pick = vscode.window.createQuickPick<ProviderItem>();
  pick.title = title();
  pick.placeholder = vscode.l10n.t('Which sender is this secret for?');
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
        ? vscode.l10n.t('$(check) set (shared)')
        : vscode.l10n.t(
            '$(check) set: {0}',
            set
              .map((secret) =>
                secret.pathPrefix
                  ? vscode.l10n.t("'{0}' for {1}", secret.label, secret.pathPrefix)
                  : `'${secret.label}'`,
              )
              .join(', '),
          );
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
    label: `${provider.label}: ${provider.verifyToken?.noun ?? vscode.l10n.t('verify token')}`,
    description: [
      vscode.l10n.t('answers the subscription check'),
      set ? vscode.l10n.t('$(check) set') : undefined,
    ]
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
    vscode.l10n.t('{0}: {1}.', capitalise(subject), spec.where),
    chosen ? vscode.l10n.t('Or generate one (top-right button) and paste it there.') : undefined,
    usesDefault
      ? vscode.l10n.t('One secret verifies {0} deliveries.', defaultSecretOwners())
      : spec.kind === 'public-key'
        ? vscode.l10n.t('It is public; HookLens keeps it with the secrets.')
        : undefined,
    SETTING_NOTES[provider.scheme]?.(),
    usesDefault
      ? undefined
      : vscode.l10n.t('The tag button saves it under a label or for one path only.'),
  ]
    .filter(Boolean)
    .join(' ');
  return {
    title: vscode.l10n.t('HookLens: Set Secret for {0}', provider.label),
    prompt,
    placeholder: chosen
      ? vscode.l10n.t('Paste or type the {0}', spec.noun)
      : vscode.l10n.t('Paste the {0}', spec.noun),
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
      message: vscode.l10n.t('The {0} is empty.', spec.noun),
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
          message: vscode.l10n.t(
            'The {0} starts or ends with whitespace; senders usually trim it, so signatures may not match.',
            spec.noun,
          ),
          severity: vscode.InputBoxValidationSeverity.Warning,
        }
      : {
          message: vscode.l10n.t(
            'The whitespace at the start or end is left out when it is saved.',
          ),
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
  // Made here, not at load, so their tooltips are translated; compared by identity below.
  const generateButton: vscode.QuickInputButton = {
    iconPath: new vscode.ThemeIcon('sparkle'),
    tooltip: vscode.l10n.t('Generate a strong secret (copied to the clipboard)'),
  };
  const optionsButton: vscode.QuickInputButton = {
    iconPath: new vscode.ThemeIcon('tag'),
    tooltip: vscode.l10n.t('Save with a label or for one path only (rotation, two accounts)…'),
  };
  input.buttons = [
    ...(spec.canGenerate ? [generateButton] : []),
    ...(spec.canAddOptions ? [optionsButton] : []),
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
              message: vscode.l10n.t('Paste the secret first.'),
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
      if (button === generateButton) {
        finish({ value: generateSecret(), generated: true, wantsOptions: false });
        return;
      }
      if (button === optionsButton) {
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
    title: vscode.l10n.t('HookLens: Set Secret for {0}: label', provider.label),
    prompt: vscode.l10n.t(
      'A name to tell this {0} secret from others (previous, account B). The same label replaces that secret.',
      provider.label,
    ),
    value: mine.some((secret) => secret.label === DEFAULT_LABEL) ? 'new' : DEFAULT_LABEL,
    ignoreFocusOut: true,
    validateInput: (text) => {
      const value = text.trim();
      if (value === '') return vscode.l10n.t('Give the secret a label.');
      if (value.length > 40) return vscode.l10n.t('Keep the label under 40 characters.');
      if (mine.some((secret) => secret.label === value)) {
        return {
          message: vscode.l10n.t("Replaces the {0} secret labelled '{1}'.", provider.label, value),
          severity: vscode.InputBoxValidationSeverity.Warning,
        };
      }
      return undefined;
    },
  });
  if (label === undefined) return undefined;
  const path = await vscode.window.showInputBox({
    title: vscode.l10n.t('HookLens: Set Secret for {0}: path', provider.label),
    prompt: vscode.l10n.t(
      'Use this secret only for deliveries whose path starts with this, such as /stripe/b for a second account. Empty: every path.',
    ),
    // Not translated: an example path, the same in every language.
    placeHolder: '/webhooks/account-b',
    ignoreFocusOut: true,
    validateInput: (text) => {
      const value = text.trim();
      if (value === '') return undefined;
      if (!value.startsWith('/')) return vscode.l10n.t('A path starts with /.');
      if (/[\s?#]/.test(value))
        return vscode.l10n.t('Only the path: no spaces, query or fragment.');
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
    title: vscode.l10n.t('HookLens: Set Secret for {0}: {1}', provider.label, token.noun),
    prompt: [
      vscode.l10n.t(
        "{0}: {1}. HookLens answers {2}'s subscription check when it matches.",
        capitalise(token.noun),
        token.where,
        provider.label,
      ),
      optional ? vscode.l10n.t('Press Escape to skip.') : undefined,
    ]
      .filter(Boolean)
      .join(' '),
    placeholder: vscode.l10n.t('Type the {0}, or use the Generate button (top right)', token.noun),
    password: true,
    canGenerate: true,
    canAddOptions: false,
    check: (value) =>
      value.trim() !== value
        ? {
            message: vscode.l10n.t(
              'The {0} starts or ends with whitespace; it must match exactly.',
              token.noun,
            ),
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
      generatedMessage(`${provider.label} ${token.noun}`, token.where),
    );
  } else {
    log.info(`Saved the ${described} (value not logged).`);
    void vscode.window.setStatusBarMessage(
      savedMessage(`${provider.label} ${token.noun}`, undefined, undefined),
      4000,
    );
  }
}

/**
 * "HookLens generated a GitHub webhook secret…": the English article depends on the noun (which
 * comes from core, in English), so each article is its own message.
 */
function generatedMessage(subject: string, where: string): string {
  return /^(?:[aeiou]|HMAC)/i.test(subject)
    ? vscode.l10n.t(
        'HookLens generated an {0} and copied it to the clipboard. Paste it into {1}.',
        subject,
        where,
      )
    : vscode.l10n.t(
        'HookLens generated a {0} and copied it to the clipboard. Paste it into {1}.',
        subject,
        where,
      );
}

/** The status-bar line after a save: the label when not the default one, and the path prefix. */
function savedMessage(
  subject: string,
  label: string | undefined,
  path: string | undefined,
): string {
  if (label === undefined) {
    return path === undefined
      ? vscode.l10n.t('$(key) HookLens: {0} saved', subject)
      : vscode.l10n.t('$(key) HookLens: {0} for {1} saved', subject, path);
  }
  if (path === undefined) return vscode.l10n.t("$(key) HookLens: {0} '{1}' saved", subject, label);
  return vscode.l10n.t("$(key) HookLens: {0} '{1}' for {2} saved", subject, label, path);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
