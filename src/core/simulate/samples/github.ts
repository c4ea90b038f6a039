// GitHub: `push` and `pull_request.opened`, in the shapes of @octokit/webhooks-examples (the
// community's captured payloads): compact JSON, the `X-GitHub-*` headers, a fresh delivery GUID.
// The repository, its owner and the hook are the developer's setup, so their ids stay fixed.
import { randomDigits, randomHex, randomInRange, randomUuid, type RandomSource } from '../random';
import { isoSeconds, unixSeconds, type SampleDefinition, type SampleRequest } from './sample';

const OWNER = { login: 'octo-org', id: 93551241, node_id: 'O_kgDOBZN4iQ', type: 'Organization' };
const AUTHOR = {
  login: 'monalisa',
  id: 2154378,
  node_id: 'MDQ6VXNlcjIxNTQzNzg=',
  type: 'User',
  name: 'Mona Lisa Octocat',
  email: '2154378+monalisa@users.noreply.github.com',
};
const REPO = {
  id: 741852963,
  node_id: 'R_kgDOLDeF4w',
  name: 'payments-api',
  createdMs: Date.UTC(2024, 0, 11, 9, 30, 12),
};
const FULL_NAME = `${OWNER.login}/${REPO.name}`;
const HOOK_ID = '512384769';
/** GitHub's webhook client, with the short build hash it reports. */
const USER_AGENT = 'GitHub-Hookshot/1c3e4a1';

function account(who: { login: string; id: number; node_id: string; type: string }) {
  const api = `https://api.github.com/users/${who.login}`;
  return {
    login: who.login,
    id: who.id,
    node_id: who.node_id,
    avatar_url: `https://avatars.githubusercontent.com/u/${who.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `https://github.com/${who.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: who.type,
    site_admin: false,
  };
}

function organization() {
  const api = `https://api.github.com/orgs/${OWNER.login}`;
  return {
    login: OWNER.login,
    id: OWNER.id,
    node_id: OWNER.node_id,
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${OWNER.id}?v=4`,
    description: 'Payments at Octo',
  };
}

/**
 * The repository as webhooks describe it. `push` payloads write its times as Unix seconds (but
 * `updated_at`) and give the owner a name and email; every other event uses ISO times.
 */
function repository(kind: 'push' | 'api', pushedMs: number) {
  const api = `https://api.github.com/repos/${FULL_NAME}`;
  const html = `https://github.com/${FULL_NAME}`;
  const owner =
    kind === 'push' ? { name: OWNER.login, email: null, ...account(OWNER) } : account(OWNER);
  return {
    id: REPO.id,
    node_id: REPO.node_id,
    name: REPO.name,
    full_name: FULL_NAME,
    private: true,
    owner,
    html_url: html,
    description: 'Card and wallet payments for the Octo shop',
    fork: false,
    url: kind === 'push' ? html : api,
    forks_url: `${api}/forks`,
    keys_url: `${api}/keys{/key_id}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`,
    hooks_url: `${api}/hooks`,
    issue_events_url: `${api}/issues/events{/number}`,
    events_url: `${api}/events`,
    assignees_url: `${api}/assignees{/user}`,
    branches_url: `${api}/branches{/branch}`,
    tags_url: `${api}/tags`,
    blobs_url: `${api}/git/blobs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    trees_url: `${api}/git/trees{/sha}`,
    statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`,
    stargazers_url: `${api}/stargazers`,
    contributors_url: `${api}/contributors`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    commits_url: `${api}/commits{/sha}`,
    git_commits_url: `${api}/git/commits{/sha}`,
    comments_url: `${api}/comments{/number}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    contents_url: `${api}/contents/{+path}`,
    compare_url: `${api}/compare/{base}...{head}`,
    merges_url: `${api}/merges`,
    archive_url: `${api}/{archive_format}{/ref}`,
    downloads_url: `${api}/downloads`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`,
    releases_url: `${api}/releases{/id}`,
    deployments_url: `${api}/deployments`,
    created_at: kind === 'push' ? unixSeconds(REPO.createdMs) : isoSeconds(REPO.createdMs),
    updated_at: isoSeconds(pushedMs - 86_400_000),
    pushed_at: kind === 'push' ? unixSeconds(pushedMs) : isoSeconds(pushedMs),
    git_url: `git://github.com/${FULL_NAME}.git`,
    ssh_url: `git@github.com:${FULL_NAME}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    homepage: null,
    size: 2184,
    stargazers_count: 0,
    watchers_count: 0,
    language: 'TypeScript',
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: false,
    has_pages: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: 4,
    license: null,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [],
    visibility: 'private',
    forks: 0,
    open_issues: 4,
    watchers: 0,
    default_branch: 'main',
    ...(kind === 'push' ? { stargazers: 0, master_branch: 'main', organization: OWNER.login } : {}),
  };
}

function headers(event: string, random: RandomSource): SampleRequest['headers'] {
  return [
    ['Accept', '*/*'],
    ['Content-Type', 'application/json'],
    ['User-Agent', USER_AGENT],
    ['X-GitHub-Delivery', randomUuid(random)],
    ['X-GitHub-Event', event],
    ['X-GitHub-Hook-ID', HOOK_ID],
    ['X-GitHub-Hook-Installation-Target-ID', String(REPO.id)],
    ['X-GitHub-Hook-Installation-Target-Type', 'repository'],
  ];
}

const COMMITS: ReadonlyArray<readonly [message: string, files: readonly string[]]> = [
  ['Retry card captures that time out', ['src/payments/capture.ts']],
  ['Validate the currency before creating a payment intent', ['src/payments/intent.ts']],
  ['Log the webhook event id with each refund', ['src/webhooks/stripe.ts', 'src/refunds.ts']],
];

const push = (nowMs: number, random: RandomSource): SampleRequest => {
  const before = randomHex(random, 40);
  const count = randomInRange(random, 1, COMMITS.length);
  const commits = COMMITS.slice(0, count).map(([message, modified], index) => {
    const id = randomHex(random, 40);
    return {
      id,
      tree_id: randomHex(random, 40),
      distinct: true,
      message,
      timestamp: isoSeconds(nowMs - 15_000 - (count - 1 - index) * 95_000),
      url: `https://github.com/${FULL_NAME}/commit/${id}`,
      author: { name: AUTHOR.name, email: AUTHOR.email, username: AUTHOR.login },
      committer: { name: AUTHOR.name, email: AUTHOR.email, username: AUTHOR.login },
      added: [],
      removed: [],
      modified,
    };
  });
  const after = commits.at(-1)?.id ?? randomHex(random, 40);
  const body = {
    ref: 'refs/heads/main',
    before,
    after,
    repository: repository('push', nowMs),
    pusher: { name: AUTHOR.login, email: AUTHOR.email },
    organization: organization(),
    sender: account(AUTHOR),
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `https://github.com/${FULL_NAME}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
    commits,
    head_commit: commits.at(-1) ?? null,
  };
  return { headers: headers('push', random), body: JSON.stringify(body) };
};

const pullRequestOpened = (nowMs: number, random: RandomSource): SampleRequest => {
  const number = randomInRange(random, 40, 900);
  const api = `https://api.github.com/repos/${FULL_NAME}`;
  const html = `https://github.com/${FULL_NAME}`;
  const head = randomHex(random, 40);
  const repo = repository('api', nowMs - 60_000);
  const opened = isoSeconds(nowMs);
  const branch = (ref: string, sha: string) => ({
    label: `${OWNER.login}:${ref}`,
    ref,
    sha,
    user: account(OWNER),
    repo,
  });
  const link = (href: string) => ({ href });
  const pullRequest = {
    url: `${api}/pulls/${number}`,
    id: Number(`19${randomDigits(random, 8)}`),
    node_id: `PR_kwDOLDeF4s${randomHex(random, 6)}`,
    html_url: `${html}/pull/${number}`,
    diff_url: `${html}/pull/${number}.diff`,
    patch_url: `${html}/pull/${number}.patch`,
    issue_url: `${api}/issues/${number}`,
    number,
    state: 'open',
    locked: false,
    title: 'Retry card captures that time out',
    user: account(AUTHOR),
    body:
      'Captures that time out at the processor are retried twice with backoff before the payment is marked failed.\n\nCloses #' +
      String(number - 3),
    created_at: opened,
    updated_at: opened,
    closed_at: null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    labels: [],
    milestone: null,
    draft: false,
    commits_url: `${api}/pulls/${number}/commits`,
    review_comments_url: `${api}/pulls/${number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${number}/comments`,
    statuses_url: `${api}/statuses/${head}`,
    head: branch('retry-captures', head),
    base: branch('main', randomHex(random, 40)),
    _links: {
      self: link(`${api}/pulls/${number}`),
      html: link(`${html}/pull/${number}`),
      issue: link(`${api}/issues/${number}`),
      comments: link(`${api}/issues/${number}/comments`),
      review_comments: link(`${api}/pulls/${number}/comments`),
      review_comment: link(`${api}/pulls/comments{/number}`),
      commits: link(`${api}/pulls/${number}/commits`),
      statuses: link(`${api}/statuses/${head}`),
    },
    author_association: 'MEMBER',
    auto_merge: null,
    active_lock_reason: null,
    merged: false,
    mergeable: null,
    rebaseable: null,
    mergeable_state: 'unknown',
    merged_by: null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: randomInRange(random, 5, 120),
    deletions: randomInRange(random, 0, 40),
    changed_files: randomInRange(random, 1, 6),
  };
  const body = {
    action: 'opened',
    number,
    pull_request: pullRequest,
    repository: repo,
    organization: organization(),
    sender: account(AUTHOR),
  };
  return { headers: headers('pull_request', random), body: JSON.stringify(body) };
};

export const GITHUB_SAMPLES: readonly SampleDefinition[] = [
  {
    name: 'github.push',
    description: 'GitHub: commits pushed to main (X-Hub-Signature-256 over the raw body)',
    sender: 'github',
    event: 'push',
    path: '/webhooks/github',
    auth: 'signed',
    build: push,
  },
  {
    name: 'github.pull_request.opened',
    description: 'GitHub: a pull request opened, with its head and base branches',
    sender: 'github',
    event: 'pull_request.opened',
    path: '/webhooks/github',
    auth: 'signed',
    build: pullRequestOpened,
  },
];

/** Top-level keys that name a GitHub event, most specific first (a review also has `pull_request`). */
const EVENT_KEYS: ReadonlyArray<readonly [keys: readonly string[], event: string]> = [
  [['zen', 'hook_id'], 'ping'],
  [['review', 'pull_request'], 'pull_request_review'],
  [['comment', 'pull_request'], 'pull_request_review_comment'],
  [['pull_request'], 'pull_request'],
  [['comment', 'issue'], 'issue_comment'],
  [['issue'], 'issues'],
  [['ref', 'commits'], 'push'],
  [['release'], 'release'],
  [['workflow_run'], 'workflow_run'],
  [['workflow_job'], 'workflow_job'],
  [['check_run'], 'check_run'],
  [['check_suite'], 'check_suite'],
  [['deployment_status'], 'deployment_status'],
  [['deployment'], 'deployment'],
];

/**
 * The `X-GitHub-Event` a bare GitHub body was sent with, read from its top-level keys; undefined
 * when the keys do not tell (GitHub names the event only in that header).
 */
export function githubEventFromBody(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const has = (key: string): boolean => Object.hasOwn(json, key);
  return EVENT_KEYS.find(([keys]) => keys.every(has))?.[1];
}
