-- Tokens spent by the LLM grader, per call, for budgets and the usage report.
CREATE TABLE llm_usage (
    id                INTEGER PRIMARY KEY,
    team              TEXT NOT NULL,
    user              TEXT NOT NULL,
    model             TEXT NOT NULL,
    prompt_tokens     INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    cached_tokens     INTEGER NOT NULL,
    day               TEXT NOT NULL, -- UTC date, the budget's day
    at                TEXT NOT NULL
);
CREATE INDEX llm_usage_team_day ON llm_usage (team, day);
