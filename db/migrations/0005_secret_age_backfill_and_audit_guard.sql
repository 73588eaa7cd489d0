-- 0002 added secret_created_at with DEFAULT now(), which stamped every existing key as freshly
-- issued: keys created long before would not show "Rotation due" for another full period.
-- A key's current secret dates from its last rotation, or from its creation if never rotated.
UPDATE api_keys k
SET secret_created_at = coalesce(
  (SELECT max(r.rotated_at) FROM api_key_rotations r WHERE r.key_id = k.id),
  k.created_at
)
WHERE k.secret_created_at > coalesce(
  (SELECT max(r.rotated_at) FROM api_key_rotations r WHERE r.key_id = k.id),
  k.created_at
);
--> statement-breakpoint
-- The one UPDATE the audit log allows is the database's own ON DELETE SET NULL when a user row
-- is deleted. 0004 allowed any "actor_id -> NULL" update, which would let a caller erase who did
-- something while the user still exists; now the actor must really be gone.
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = OLD.actor_id)
     AND (NEW.id, NEW.action, NEW.target_type, NEW.target_id, NEW.metadata, NEW.ip, NEW.user_agent, NEW.created_at)
         IS NOT DISTINCT FROM
         (OLD.id, OLD.action, OLD.target_type, OLD.target_id, OLD.metadata, OLD.ip, OLD.user_agent, OLD.created_at) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
