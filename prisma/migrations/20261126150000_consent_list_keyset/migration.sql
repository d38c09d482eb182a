-- The consent list pages by keyset on (grant time, id) within GRANT rows: the 10,000th page of a
-- million-row register reads an index range, as the first does.
CREATE INDEX "consent_events_kind_occurred_at_id_idx" ON "consent_events"("kind", "occurred_at", "id");
