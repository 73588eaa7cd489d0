-- pg_trgm gives ILIKE '%…%' searches a GIN index. It is a trusted extension (PostgreSQL 13+), so
-- a database owner may create it; Neon allows it, and PGlite loads it from
-- @electric-sql/pglite/contrib/pg_trgm (db/client.ts passes it in `extensions`).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
DROP INDEX "api_keys_created_idx";--> statement-breakpoint
DROP INDEX "api_keys_last_used_idx";--> statement-breakpoint
DROP INDEX "audit_events_created_idx";--> statement-breakpoint
CREATE INDEX "api_keys_created_id_idx" ON "api_keys" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "api_keys_name_sort_idx" ON "api_keys" USING btree (lower("name"),"id");--> statement-breakpoint
CREATE INDEX "api_keys_last_used_sort_idx" ON "api_keys" USING btree (coalesce("last_used_at", '-infinity'::timestamptz),"id");--> statement-breakpoint
CREATE INDEX "api_keys_expires_sort_idx" ON "api_keys" USING btree (coalesce("expires_at", 'infinity'::timestamptz),"id");--> statement-breakpoint
CREATE INDEX "api_keys_scopes_idx" ON "api_keys" USING gin ("scopes");--> statement-breakpoint
CREATE INDEX "api_keys_name_trgm_idx" ON "api_keys" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "api_keys_hint_trgm_idx" ON "api_keys" USING gin ("hint" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "audit_events_created_id_idx" ON "audit_events" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "audit_events_action_created_idx" ON "audit_events" USING btree ("action","created_at");--> statement-breakpoint
CREATE INDEX "users_email_trgm_idx" ON "users" USING gin ("email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "users_created_id_idx" ON "users" USING btree ("created_at","id");--> statement-breakpoint
-- Statistics for the new expression indexes (lower(name), coalesce(...)) come only from ANALYZE;
-- without them the planner guesses. PGlite has no autovacuum to run it later.
ANALYZE "api_keys";--> statement-breakpoint
ANALYZE "users";--> statement-breakpoint
ANALYZE "audit_events";
