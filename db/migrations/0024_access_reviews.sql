CREATE TABLE "access_review_items" (
	"review_id" uuid NOT NULL,
	"key_id" uuid NOT NULL,
	"user_id" uuid,
	"team_id" uuid,
	"decision" text DEFAULT 'pending' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	CONSTRAINT "access_review_items_review_id_key_id_pk" PRIMARY KEY("review_id","key_id"),
	CONSTRAINT "access_review_items_decision" CHECK ("access_review_items"."decision" in ('pending', 'confirmed', 'revoked', 'revoked_at_due', 'flagged', 'gone'))
);
--> statement-breakpoint
CREATE TABLE "access_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"filters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"on_due" text NOT NULL,
	"team_id" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"started_by" uuid,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "access_reviews_on_due" CHECK ("access_reviews"."on_due" in ('revoke', 'flag')),
	CONSTRAINT "access_reviews_status" CHECK ("access_reviews"."status" in ('open', 'closed'))
);
--> statement-breakpoint
ALTER TABLE "access_review_items" ADD CONSTRAINT "access_review_items_review_id_access_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."access_reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_review_items" ADD CONSTRAINT "access_review_items_key_id_api_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_review_items" ADD CONSTRAINT "access_review_items_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_review_items" ADD CONSTRAINT "access_review_items_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_review_items" ADD CONSTRAINT "access_review_items_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_reviews" ADD CONSTRAINT "access_reviews_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_reviews" ADD CONSTRAINT "access_reviews_started_by_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_review_items_user_pending_idx" ON "access_review_items" USING btree ("user_id") WHERE "access_review_items"."decision" = 'pending';--> statement-breakpoint
CREATE INDEX "access_review_items_team_pending_idx" ON "access_review_items" USING btree ("team_id") WHERE "access_review_items"."decision" = 'pending';--> statement-breakpoint
CREATE INDEX "access_reviews_created_idx" ON "access_reviews" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "access_reviews_team_created_idx" ON "access_reviews" USING btree ("team_id","created_at");--> statement-breakpoint
CREATE INDEX "access_reviews_open_due_idx" ON "access_reviews" USING btree ("due_at") WHERE "access_reviews"."status" = 'open';