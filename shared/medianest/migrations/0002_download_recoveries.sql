-- Downloads: how many times a download was re-queued after its worker died mid-run. The reconcile job
-- re-queues a download whose worker vanished until this reaches its limit, then marks it failed, so one
-- item that kills its worker (out of memory, say) cannot loop for ever.
ALTER TABLE youtube_downloads ADD COLUMN recoveries integer NOT NULL DEFAULT 0 CHECK (recoveries >= 0);
