import { type Kysely, sql } from 'kysely';

/**
 * kuvert_audit_append: appends one audit event to its chain in a single statement. It takes the chain's lock (one
 * per mailbox, one for events about no mailbox, held to the end of the caller's transaction), reads the chain's head
 * and inserts the event with its hash. A volatile PL/pgSQL function gives each of its statements a fresh snapshot
 * (read committed), so the head is read after the lock is held, as when these were three statements from Node.
 *
 * The hash is SHA-256 over the canonical JSON array [prev, occurred_at, actor_kind, actor_id, action, subject_type,
 * subject_id, mailbox, details] (keys sorted). Node builds it without its first element (`tail`: the text after
 * `[prev,`), since only the function knows prev; prev is 64 hex digits, so its JSON is itself in quotes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function kuvert_audit_append(
      p_mailbox uuid, p_occurred_at timestamptz, p_actor_kind text, p_actor_id text, p_action text,
      p_subject_type text, p_subject_id text, p_details jsonb, p_tail text
    ) returns void
    language plpgsql volatile
    as $$
    declare
      v_prev text;
    begin
      if p_mailbox is null then
        perform pg_advisory_xact_lock(7373001);
        select hash into v_prev from audit_event where mailbox_recipient_id is null order by id desc limit 1;
      else
        perform pg_advisory_xact_lock(7373001, hashtext(p_mailbox::text));
        select hash into v_prev from audit_event where mailbox_recipient_id = p_mailbox order by id desc limit 1;
      end if;
      v_prev := coalesce(v_prev, repeat('0', 64));
      insert into audit_event (occurred_at, actor_kind, actor_id, action, subject_type, subject_id,
                               mailbox_recipient_id, details, prev_hash, hash)
      values (p_occurred_at, p_actor_kind, p_actor_id, p_action, p_subject_type, p_subject_id,
              p_mailbox, p_details, v_prev,
              encode(sha256(convert_to('["' || v_prev || '",' || p_tail, 'UTF8')), 'hex'));
    end
    $$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function kuvert_audit_append(uuid, timestamptz, text, text, text, text, text, jsonb, text)`.execute(
    db,
  );
}
