// What a change of `hooklens.*` settings asks of the running extension, decided without vscode
// (unit-tested in test/unit/editorDecisions.test.ts); the composition root carries it out.

export const SETTINGS_SECTION = 'hooklens';

/** Settings that need the receiver restarted when they change. */
export const RECEIVER_RESTART_SETTINGS = [
  'port',
  'host',
  'allowNonLoopbackHost',
  'allowedHosts',
  'maxBodySize',
].map((key) => `${SETTINGS_SECTION}.${key}`);

/**
 * Settings the capture pipeline reads (policy, verification, pointers, forwarding, public URL,
 * generic HMAC): a change applies to the next delivery, without restarting the receiver. The
 * others (grouping, compare masking, retention, replay concurrency) change nothing in it.
 */
export const PIPELINE_SETTINGS = [
  'verification',
  'generic',
  'forwardTo',
  'forward',
  'routes',
  'publicBaseUrl',
  'genericHmac',
].map((key) => `${SETTINGS_SECTION}.${key}`);

export interface SettingsPlan {
  /** hooklens.deliveries.groupBy changed: the tree regroups. */
  readonly regroup: boolean;
  /**
   * The one thing done to the receiver, the strongest that applies: opening the store the
   * settings now choose (which restarts the receiver on it), restarting the receiver (listen
   * settings), applying the pipeline's settings to the next delivery, or nothing.
   */
  readonly receiver: 'switch-store' | 'restart' | 'apply-pipeline' | 'none';
}

/** `affects` is ConfigurationChangeEvent.affectsConfiguration; undefined: not a HookLens setting. */
export function planSettingsChange(
  affects: (section: string) => boolean,
): SettingsPlan | undefined {
  if (!affects(SETTINGS_SECTION)) return undefined;
  const regroup = affects(`${SETTINGS_SECTION}.deliveries.groupBy`);
  const receiver = affects(`${SETTINGS_SECTION}.store`)
    ? 'switch-store'
    : RECEIVER_RESTART_SETTINGS.some((key) => affects(key))
      ? 'restart'
      : PIPELINE_SETTINGS.some((key) => affects(key))
        ? 'apply-pipeline'
        : 'none';
  return { regroup, receiver };
}
