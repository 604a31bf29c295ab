-- Platform event ids already handled, so a redelivered event (a Slack
-- retry, a Discord resume replay) is processed once, also across restarts.
-- Rows expire after a TTL and are purged as new ones arrive.
CREATE TABLE seen_events (
    platform TEXT NOT NULL,
    event_id TEXT NOT NULL,
    seen_at  TEXT NOT NULL,
    PRIMARY KEY (platform, event_id)
) WITHOUT ROWID;
CREATE INDEX seen_events_by_time ON seen_events (seen_at);
