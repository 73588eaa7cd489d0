ALTER TABLE "users" ADD COLUMN "suspended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "users_active_admins_idx" ON "users" USING btree ("id") WHERE "users"."role" = 'admin' and "users"."suspended_at" is null and "users"."deleted_at" is null;