// GitLab: a Push Hook (object_kind `push`) from gitlab.com, with the secret token in
// `X-Gitlab-Token` and fresh `X-Gitlab-Event-UUID` and `Idempotency-Key` values.
import { randomHex, randomInRange, randomUuid, type RandomSource } from '../random';
import type { SampleDefinition, SampleRequest } from './sample';

const PROJECT = { id: 58214673, name: 'payments-api', namespace: 'octo-group' };
const PATH = `${PROJECT.namespace}/${PROJECT.name}`;
const WEB = `https://gitlab.com/${PATH}`;
const WEBHOOK_UUID = '4b6d0e52-94cf-4c9e-8d6a-2f3b1a7c9e05';
const USER = { id: 11873204, name: 'Sasha Kim', username: 'skim' };

const COMMITS: ReadonlyArray<readonly [title: string, file: string]> = [
  ['Retry card captures that time out', 'src/payments/capture.ts'],
  ['Validate the currency before creating a payment intent', 'src/payments/intent.ts'],
];

/** GitLab writes commit times with the author's offset: `2025-06-01T12:00:00+00:00`. */
const gitlabTime = (ms: number): string => new Date(ms).toISOString().slice(0, 19) + '+00:00';

const push = (nowMs: number, random: RandomSource): SampleRequest => {
  const count = randomInRange(random, 1, COMMITS.length);
  const commits = COMMITS.slice(0, count).map(([title, file], index) => {
    const id = randomHex(random, 40);
    return {
      id,
      message: `${title}\n`,
      title,
      timestamp: gitlabTime(nowMs - 15_000 - (count - 1 - index) * 80_000),
      url: `${WEB}/-/commit/${id}`,
      author: { name: USER.name, email: 'sasha.kim@example.com' },
      added: [],
      modified: [file],
      removed: [],
    };
  });
  const after = commits.at(-1)?.id ?? randomHex(random, 40);
  const project = {
    id: PROJECT.id,
    name: PROJECT.name,
    description: 'Card and wallet payments for the Octo shop',
    web_url: WEB,
    avatar_url: null,
    git_ssh_url: `git@gitlab.com:${PATH}.git`,
    git_http_url: `${WEB}.git`,
    namespace: PROJECT.namespace,
    visibility_level: 0,
    path_with_namespace: PATH,
    default_branch: 'main',
    ci_config_path: '',
    homepage: WEB,
    url: `git@gitlab.com:${PATH}.git`,
    ssh_url: `git@gitlab.com:${PATH}.git`,
    http_url: `${WEB}.git`,
  };
  const body = {
    object_kind: 'push',
    event_name: 'push',
    before: randomHex(random, 40),
    after,
    ref: 'refs/heads/main',
    ref_protected: true,
    checkout_sha: after,
    message: null,
    user_id: USER.id,
    user_name: USER.name,
    user_username: USER.username,
    user_email: '',
    user_avatar: `https://secure.gravatar.com/avatar/${randomHex(random, 64)}?s=80&d=identicon`,
    project_id: PROJECT.id,
    project,
    commits,
    total_commits_count: count,
    push_options: {},
    repository: {
      name: PROJECT.name,
      url: project.url,
      description: project.description,
      homepage: WEB,
      git_http_url: project.git_http_url,
      git_ssh_url: project.git_ssh_url,
      visibility_level: 0,
    },
  };
  const eventUuid = randomUuid(random);
  return {
    headers: [
      ['Content-Type', 'application/json'],
      ['User-Agent', 'GitLab/18.1.0-pre'],
      ['X-Gitlab-Event', 'Push Hook'],
      ['X-Gitlab-Webhook-UUID', WEBHOOK_UUID],
      ['X-Gitlab-Instance', 'https://gitlab.com'],
      ['X-Gitlab-Event-UUID', eventUuid],
      ['Idempotency-Key', randomUuid(random)],
    ],
    body: JSON.stringify(body),
  };
};

export const GITLAB_SAMPLES: readonly SampleDefinition[] = [
  {
    name: 'gitlab.push',
    description: 'GitLab: a Push Hook for commits on main (secret token in X-Gitlab-Token)',
    sender: 'gitlab',
    event: 'push',
    path: '/webhooks/gitlab',
    auth: 'signed',
    build: push,
  },
];
