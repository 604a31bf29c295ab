-- A turn records the follow-up asked after it, so the state of an interview
-- is its start turn's state with the later turns applied in order, and a
-- turn no longer carries a copy of the whole state (state is '' on every
-- turn but the first; older turns keep theirs, and loading starts from the
-- latest turn that has one).
ALTER TABLE turns ADD COLUMN follow_up TEXT;
