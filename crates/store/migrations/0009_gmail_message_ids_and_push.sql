-- The Message-ID a sent email really carries. Gmail's API may replace the one we wrote (kept in
-- `rfc_message_id`, and in our `X-Negotiator-Send-Id` header); replies cite this one, so
-- threading headers are built from it and inbound mail is matched on it too.
ALTER TABLE messages ADD COLUMN carried_message_id TEXT;

CREATE INDEX messages_by_carried_id ON messages (carried_message_id)
    WHERE carried_message_id IS NOT NULL;

-- When the newest delivery of a source arrived (Gmail push health: is push still arriving?).
CREATE INDEX webhook_deliveries_by_time ON webhook_deliveries (source, received_at);
