-- Results become the one record of graded practice from mocks and daily
-- questions alike: a daily answer has no session, and boards per team and
-- channel and level-weighted points need those columns at hand.
CREATE TABLE results_new (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id  INTEGER REFERENCES sessions (id) ON DELETE CASCADE,
    post_id     INTEGER,
    platform    TEXT NOT NULL DEFAULT '',
    team        TEXT NOT NULL DEFAULT '',
    channel     TEXT NOT NULL DEFAULT '',
    question_id TEXT NOT NULL,
    topic       TEXT NOT NULL,
    level       TEXT NOT NULL DEFAULT '',
    score       REAL NOT NULL,
    points      INTEGER NOT NULL,
    answered    INTEGER NOT NULL,
    grader      TEXT NOT NULL,
    local_date  TEXT NOT NULL,
    graded_at   TEXT NOT NULL,
    UNIQUE (session_id, question_id),
    UNIQUE (post_id, user_id)
);
INSERT INTO results_new (id, user_id, session_id, platform, team, channel, question_id, topic, score, points, answered, grader, local_date, graded_at)
    SELECT r.id, r.user_id, r.session_id, s.platform, s.team, s.channel, r.question_id, r.topic, r.score, r.points, r.answered, r.grader, r.local_date, r.graded_at
    FROM results r JOIN sessions s ON s.id = r.session_id;
DROP TABLE results;
ALTER TABLE results_new RENAME TO results;
CREATE INDEX results_user_date ON results (user_id, answered, local_date);
CREATE INDEX results_board ON results (platform, team, graded_at, answered, user_id, points, score);
CREATE INDEX results_channel_board ON results (platform, team, channel, graded_at, answered, user_id, points, score);

ALTER TABLE users ADD COLUMN board_optout INTEGER NOT NULL DEFAULT 0;

-- A channel's daily question schedule.
CREATE TABLE daily_schedules (
    platform       TEXT NOT NULL,
    team           TEXT NOT NULL,
    channel        TEXT NOT NULL,
    at             TEXT NOT NULL,            -- HH:MM local
    tz             TEXT NOT NULL,            -- IANA zone
    days           TEXT NOT NULL,            -- "mon,tue,wed,thu,fri"
    topics         TEXT NOT NULL DEFAULT '', -- comma-separated; '' = all
    level          TEXT NOT NULL DEFAULT '',
    reveal_seconds INTEGER NOT NULL,
    enabled        INTEGER NOT NULL DEFAULT 1,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (platform, team, channel)
);

CREATE TABLE daily_skips (
    platform TEXT NOT NULL,
    team     TEXT NOT NULL,
    channel  TEXT NOT NULL,
    day      TEXT NOT NULL,
    PRIMARY KEY (platform, team, channel, day)
);

-- One post per channel and local date: the row is the claim, written before
-- the message is sent, so two processes never both post.
CREATE TABLE daily_posts (
    id          INTEGER PRIMARY KEY,
    platform    TEXT NOT NULL,
    team        TEXT NOT NULL,
    channel     TEXT NOT NULL,
    day         TEXT NOT NULL,
    question_id TEXT NOT NULL,
    claimed_at  TEXT NOT NULL,
    sent_at     TEXT,
    message_ref TEXT NOT NULL DEFAULT '',
    reveal_at   TEXT NOT NULL,
    revealed_at TEXT,
    UNIQUE (platform, team, channel, day)
);

CREATE TABLE daily_answers (
    post_id     INTEGER NOT NULL REFERENCES daily_posts (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    answer      TEXT NOT NULL,
    evaluation  TEXT NOT NULL,
    score       REAL NOT NULL,
    share       INTEGER NOT NULL DEFAULT 0,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (post_id, user_id)
);

-- Running totals per board and period, kept with every result, so a board
-- is read in index order instead of summing a period's answers each time.
-- channel '' is the whole team; period is 'all', 'w:<monday>' or 'm:<yyyy-mm>'
-- in the board's zone when the answer was graded.
CREATE TABLE board_totals (
    platform  TEXT NOT NULL,
    team      TEXT NOT NULL,
    channel   TEXT NOT NULL,
    period    TEXT NOT NULL,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    points    INTEGER NOT NULL,
    answers   INTEGER NOT NULL,
    score_sum REAL NOT NULL,
    PRIMARY KEY (platform, team, channel, period, user_id)
);
CREATE INDEX board_totals_rank ON board_totals (platform, team, channel, period, points DESC, score_sum DESC);
