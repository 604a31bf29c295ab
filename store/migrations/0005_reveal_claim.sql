-- A recap is claimed before it is sent and marked revealed only once it went
-- out, so a platform failure retries it (after the claim's lease) instead of
-- losing it, while two processes still send it once.
ALTER TABLE daily_posts ADD COLUMN reveal_claimed_at TEXT;
