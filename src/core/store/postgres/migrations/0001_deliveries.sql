-- HookLens team store, schema version 1: deliveries, the change feed and the dedupe decisions.
-- Applied once, in one transaction, under an advisory lock (see migrate.ts).

-- Arrival order: what "newest first" and retention go by.
CREATE SEQUENCE hooklens_delivery_seq;
-- Every committed change takes the next number; editors and tails follow it (LISTEN/NOTIFY wakes them).
CREATE SEQUENCE hooklens_change_seq;

CREATE TABLE hooklens_deliveries (
  id              text    PRIMARY KEY,
  seq             bigint  NOT NULL UNIQUE,
  change_seq      bigint  NOT NULL,
  received_at     text    NOT NULL,
  sender          text    NOT NULL,
  event           text,
  verdict         text    NOT NULL,
  status          integer,
  dedupe_key      text,
  duplicate_of    text,
  -- How many stored deliveries name this one in duplicate_of.
  duplicate_count integer NOT NULL DEFAULT 0,
  body_size       bigint  NOT NULL,
  -- UTF-8 bytes of `record`: what the byte limit of retention counts.
  stored_bytes    bigint  NOT NULL,
  -- The list row (DeliverySummary as JSON, without seq and duplicate_count, which are columns).
  summary         text    NOT NULL,
  -- The whole DeliveryRecord as JSON. Text, not jsonb: a body may hold \u0000, which jsonb refuses.
  record          text    NOT NULL
);

CREATE INDEX hooklens_deliveries_change_seq ON hooklens_deliveries (change_seq);
CREATE INDEX hooklens_deliveries_sender ON hooklens_deliveries (sender, seq DESC);
CREATE INDEX hooklens_deliveries_event ON hooklens_deliveries (event, seq DESC);
CREATE INDEX hooklens_deliveries_verdict ON hooklens_deliveries (verdict, seq DESC);
CREATE INDEX hooklens_deliveries_status ON hooklens_deliveries (status, seq DESC);
CREATE INDEX hooklens_deliveries_duplicate_of ON hooklens_deliveries (duplicate_of)
  WHERE duplicate_of IS NOT NULL;

-- The first delivery of each dedupe key. The primary key decides "first" when two receivers
-- take the same delivery at once.
CREATE TABLE hooklens_first_deliveries (
  dedupe_key  text PRIMARY KEY,
  delivery_id text NOT NULL
);
CREATE INDEX hooklens_first_deliveries_delivery ON hooklens_first_deliveries (delivery_id);

-- Deletions and clears, so followers learn what went away. Old rows are pruned; a follower that
-- fell further behind than the pruned point reloads the list.
CREATE TABLE hooklens_removals (
  change_seq bigint      PRIMARY KEY,
  ids        text[]      NOT NULL,
  cleared    boolean     NOT NULL DEFAULT false,
  removed_at timestamptz NOT NULL DEFAULT now()
);

-- What the store holds, kept with every commit so retention need not count the table.
CREATE TABLE hooklens_totals (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  deliveries bigint  NOT NULL,
  bytes      bigint  NOT NULL
);
INSERT INTO hooklens_totals (singleton, deliveries, bytes) VALUES (true, 0, 0);

-- Store-wide settings: `retention` (the limits the last writer set, JSON) and
-- `removals_pruned_through` (the highest change_seq whose removal row was pruned).
CREATE TABLE hooklens_settings (
  name  text PRIMARY KEY,
  value text NOT NULL
);
