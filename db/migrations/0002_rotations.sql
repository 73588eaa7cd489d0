CREATE TABLE "api_key_rotations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key_id" uuid NOT NULL,
	"old_key_hash" text NOT NULL,
	"old_hint" text NOT NULL,
	"new_hint" text NOT NULL,
	"grace_until" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"via" text NOT NULL,
	"rotated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "secret_created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "api_key_rotations" ADD CONSTRAINT "api_key_rotations_key_id_api_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_key_rotations" ADD CONSTRAINT "api_key_rotations_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_key_rotations_old_hash_key" ON "api_key_rotations" USING btree ("old_key_hash");--> statement-breakpoint
CREATE INDEX "api_key_rotations_key_idx" ON "api_key_rotations" USING btree ("key_id","rotated_at");