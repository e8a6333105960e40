-- The audit log's thread index doubled the bytes written and the CPU of every audit insert
-- (each event lands on its own leaf among thousands of threads; measured with
-- benches/audit_store.rs: 10.5 KiB and 35 µs per event with it, 5.4 KiB and 21 µs without).
-- A thread belongs to one negotiation, so its entries are found through that negotiation's
-- influencer index instead (see `Store::audit_entries`).
DROP INDEX IF EXISTS audit_by_thread;
