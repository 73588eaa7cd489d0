CREATE TABLE "api_key_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid NOT NULL,
	"requested_by" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"justification" text,
	"access" text NOT NULL,
	"scopes" text[] NOT NULL,
	"expires_at" timestamp with time zone,
	"allowed_ips" text[],
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	"key_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_key_requests_decided" CHECK (("api_key_requests"."status" in ('pending', 'cancelled')) = ("api_key_requests"."decided_at" is null) or "api_key_requests"."status" = 'cancelled')
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "allowed_ips" text[];--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "team_id" uuid;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "policy_max_lifetime_days" integer;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "policy_require_expiry" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "policy_developer_scopes" text[];--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "policy_approval_from" text;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "policy_ips_required_for_full" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "api_key_requests" ADD CONSTRAINT "api_key_requests_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_key_requests" ADD CONSTRAINT "api_key_requests_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_key_requests" ADD CONSTRAINT "api_key_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_key_requests" ADD CONSTRAINT "api_key_requests_key_id_api_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_key_requests_team_status_idx" ON "api_key_requests" USING btree ("team_id","status","created_at");--> statement-breakpoint
CREATE INDEX "api_key_requests_requester_idx" ON "api_key_requests" USING btree ("requested_by","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "api_key_requests_open_name_key" ON "api_key_requests" USING btree ("team_id",lower("name")) WHERE "api_key_requests"."status" in ('pending', 'approved');--> statement-breakpoint
CREATE INDEX "audit_events_team_created_idx" ON "audit_events" USING btree ("team_id","created_at","id") WHERE "audit_events"."team_id" is not null;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_allowed_ips_size" CHECK ("api_keys"."allowed_ips" is null or cardinality("api_keys"."allowed_ips") between 1 and 100);--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_policy_max_lifetime" CHECK ("teams"."policy_max_lifetime_days" is null or "teams"."policy_max_lifetime_days" between 1 and 3650);--> statement-breakpoint
-- Hand-written: the events already recorded for a team (its own, target_type 'team') and for its
-- keys (metadata.teamId) join its log. The append-only guard refuses every UPDATE, so it is set
-- aside for this one statement, inside the migration's transaction.
ALTER TABLE "audit_events" DISABLE TRIGGER "audit_events_append_only";--> statement-breakpoint
UPDATE "audit_events" SET "team_id" = CASE
    WHEN "target_type" = 'team' THEN "target_id"
    ELSE ("metadata"->>'teamId')::uuid
  END
WHERE "team_id" IS NULL
  AND ("target_type" = 'team' OR ("metadata" ? 'teamId' AND "metadata"->>'teamId' ~ '^[0-9a-f-]{36}$'));--> statement-breakpoint
ALTER TABLE "audit_events" ENABLE TRIGGER "audit_events_append_only";--> statement-breakpoint
-- The guard's one allowed UPDATE (the database's ON DELETE SET NULL of a deleted actor) must not
-- be a way to move an event into or out of a team's log either.
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = OLD.actor_id)
     AND (NEW.id, NEW.action, NEW.target_type, NEW.target_id, NEW.metadata, NEW.ip, NEW.user_agent, NEW.created_at, NEW.team_id)
         IS NOT DISTINCT FROM
         (OLD.id, OLD.action, OLD.target_type, OLD.target_id, OLD.metadata, OLD.ip, OLD.user_agent, OLD.created_at, OLD.team_id) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
