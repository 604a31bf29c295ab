-- Users are per platform and team: the same person in two workspaces is two users.
CREATE TABLE users (
    id          INTEGER PRIMARY KEY,
    platform    TEXT NOT NULL,
    team        TEXT NOT NULL,
    external_id TEXT NOT NULL,
    name        TEXT NOT NULL,
    tz          TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    UNIQUE (platform, team, external_id)
);

CREATE TABLE sessions (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    platform   TEXT NOT NULL,
    team       TEXT NOT NULL,
    channel    TEXT NOT NULL,
    thread     TEXT NOT NULL DEFAULT '',
    topic      TEXT NOT NULL DEFAULT '',
    level      TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    created_at TEXT NOT NULL,
    closed_at  TEXT,
    overall    INTEGER
);
-- One open interview per user per channel: a second /mock resumes the first.
CREATE UNIQUE INDEX sessions_one_open ON sessions (user_id, platform, team, channel) WHERE status = 'open';
CREATE INDEX sessions_thread ON sessions (platform, team, channel, thread);

-- Every step of an interview, with the session state after it, so the latest
-- turn is all a restart needs to resume.
CREATE TABLE turns (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    question_id TEXT NOT NULL DEFAULT '',
    prompt      TEXT NOT NULL DEFAULT '',
    answer      TEXT NOT NULL DEFAULT '',
    evaluation  TEXT,
    score       REAL,
    grader      TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (session_id, seq)
);

-- One row per finished question: what points, streaks and boards are made of.
CREATE TABLE results (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    topic       TEXT NOT NULL,
    score       REAL NOT NULL,
    points      INTEGER NOT NULL,
    answered    INTEGER NOT NULL,
    grader      TEXT NOT NULL,
    local_date  TEXT NOT NULL,
    graded_at   TEXT NOT NULL,
    UNIQUE (session_id, question_id)
);
CREATE INDEX results_user_date ON results (user_id, local_date);
CREATE INDEX results_graded_at ON results (graded_at);
