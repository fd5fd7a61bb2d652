import { type Kysely, sql } from 'kysely';
import * as auditAppend from './2026-12-02-0022-audit-append.ts';

/**
 * An append-only audit log with anchored heads (issue 18).
 *
 * - Triggers refuse UPDATE, DELETE and TRUNCATE on audit_event, audit_checkpoint and audit_checkpoint_head for
 *   everyone, the owner and superusers included (privileges do not hold for them). Only someone who can disable
 *   triggers can change the log, and the checkpoints make that visible (audit/verify-audit.ts).
 * - Privileges: PUBLIC may not update, delete or truncate the audit tables, and the role `kuvert_app` (created here
 *   when this role may create roles) is what operators who run Kuvert with a non-owner role log in as: it may do
 *   what the application needs everywhere but only INSERT and SELECT on the audit tables.
 * - audit_chain_head keeps each chain's head as of the last checkpoint (last id, hash, count) and a mark (`dirty`)
 *   that kuvert_audit_append sets when the chain moves, so that the hourly checkpoint reads only the chains that
 *   moved, and of them only the new events (kuvert_audit_take_heads; audit/checkpoint.ts).
 * - audit_checkpoint: one signed checkpoint an hour (a compact JWS by the evidence key); audit_checkpoint_head the
 *   heads it covers (those that moved since the one before).
 *
 * A chain is named by its mailbox's id as text, or '-' for the chain of events about no mailbox.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table audit_chain_head (
      chain text primary key,
      last_id bigint not null,
      head_hash char(64) not null,
      event_count bigint not null,
      dirty boolean not null default true
    );
    create index audit_chain_head_dirty on audit_chain_head (chain) where dirty;

    insert into audit_chain_head (chain, last_id, head_hash, event_count)
    select coalesce(c.mailbox_recipient_id::text, '-'), c.last_id, e.hash, c.n
      from (select mailbox_recipient_id, max(id) as last_id, count(*) as n
              from audit_event group by mailbox_recipient_id) c
      join audit_event e on e.id = c.last_id;

    create table audit_checkpoint (
      id bigint primary key,
      created_at timestamptz not null default now(),
      hour timestamptz not null unique,
      jws text not null
    );

    create table audit_checkpoint_head (
      checkpoint_id bigint not null,
      chain text not null,
      last_id bigint not null,
      head_hash char(64) not null,
      event_count bigint not null,
      primary key (checkpoint_id, chain)
    );
    create index audit_checkpoint_head_chain on audit_checkpoint_head (chain, checkpoint_id);
    create sequence audit_checkpoint_seq;

    create function kuvert_audit_refuse_change() returns trigger
    language plpgsql as $$
    begin
      raise exception '% is append-only: % is refused', tg_table_name, lower(tg_op)
        using errcode = 'insufficient_privilege';
    end
    $$;
  `.execute(db);
  for (const table of ['audit_event', 'audit_checkpoint', 'audit_checkpoint_head']) {
    await sql`
      create trigger ${sql.id(`${table}_append_only`)} before update or delete on ${sql.table(table)}
        for each row execute function kuvert_audit_refuse_change();
      create trigger ${sql.id(`${table}_no_truncate`)} before truncate on ${sql.table(table)}
        for each statement execute function kuvert_audit_refuse_change();
      revoke update, delete, truncate on ${sql.table(table)} from public;
    `.execute(db);
  }

  // The append of migration 0022, now also marking its chain's head as moved (audit_chain_head.dirty). The mark is
  // set once per transaction: an update that finds the mark set changes nothing (no new row version, so a transaction
  // that appends 20,000 events does not walk 20,000 versions of one row), though it locks the row, so a checkpoint
  // skips the chain until the append commits. Security definer: a role that may only insert can append.
  await sql`
    create or replace function kuvert_audit_append(
      p_mailbox uuid, p_occurred_at timestamptz, p_actor_kind text, p_actor_id text, p_action text,
      p_subject_type text, p_subject_id text, p_details jsonb, p_tail text
    ) returns void
    language plpgsql volatile security definer set search_path = public, pg_temp
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
      insert into audit_chain_head as h (chain, last_id, head_hash, event_count, dirty)
      values (coalesce(p_mailbox::text, '-'), 0, repeat('0', 64), 0, true)
      on conflict (chain) do update set dirty = true where not h.dirty;
    end
    $$;

    -- Hands the heads that moved since the last checkpoint to checkpoint p_checkpoint. First it takes the marked
    -- heads (skipping those an open transaction is appending to: they go into the next checkpoint, nobody waits) and
    -- clears their mark; then, in a statement of its own (a fresh snapshot, which sees every append to them that
    -- committed before they were taken), it reads each chain's newest event and counts the events since the last
    -- checkpoint, moves the head and records it in audit_checkpoint_head. Reads only new events, never a whole chain.
    create function kuvert_audit_take_heads(p_checkpoint bigint) returns bigint
    language plpgsql volatile security definer set search_path = public, pg_temp
    as $$
    declare
      v_chains text[];
      v_count bigint;
    begin
      with picked as (
        select chain from audit_chain_head where dirty for update skip locked
      ), cleared as (
        update audit_chain_head h set dirty = false from picked where h.chain = picked.chain returning h.chain
      )
      select coalesce(array_agg(chain), '{}') into v_chains from cleared;

      with heads as (
        select h.chain, e.id as last_id, e.hash as head_hash,
               -- No upper bound: e is the chain's newest event in this snapshot, so every event after the last
               -- checkpointed one is at most e (and a one-sided range lets the planner pick the (mailbox, id) index).
               h.event_count + case when h.chain = '-'
                 then (select count(*) from audit_event x
                        where x.mailbox_recipient_id is null and x.id > h.last_id)
                 else (select count(*) from audit_event x
                        where x.mailbox_recipient_id = nullif(h.chain, '-')::uuid and x.id > h.last_id)
               end as event_count
          from audit_chain_head h
          cross join lateral (
            (select id, hash from audit_event where h.chain = '-' and mailbox_recipient_id is null
              order by id desc limit 1)
            union all
            (select id, hash from audit_event where h.chain <> '-' and mailbox_recipient_id = nullif(h.chain, '-')::uuid
              order by id desc limit 1)
          ) e
         where h.chain = any (v_chains)
      ), moved as (
        update audit_chain_head h set last_id = heads.last_id, head_hash = heads.head_hash,
               event_count = heads.event_count
          from heads where h.chain = heads.chain
        returning h.chain, h.last_id, h.head_hash, h.event_count
      )
      insert into audit_checkpoint_head (checkpoint_id, chain, last_id, head_hash, event_count)
      select p_checkpoint, chain, last_id, head_hash, event_count from moved;
      get diagnostics v_count = row_count;
      return v_count;
    end
    $$;
  `.execute(db);

  // The application role for operators who run Kuvert as a non-owner: everything it needs, audit tables insert-only.
  // Creating a role needs CREATEROLE; without it this is skipped and docs/operations.md tells how to do it by hand.
  await sql`
    do $$
    begin
      if not exists (select 1 from pg_roles where rolname = 'kuvert_app') then
        begin
          create role kuvert_app nologin;
        exception when insufficient_privilege or duplicate_object or unique_violation then
          raise notice 'kuvert_app not created: %', sqlerrm;
        end;
      end if;
      if exists (select 1 from pg_roles where rolname = 'kuvert_app') then
        grant usage on schema public to kuvert_app;
        grant select, insert, update, delete on all tables in schema public to kuvert_app;
        grant usage, select, update on all sequences in schema public to kuvert_app;
        alter default privileges in schema public grant select, insert, update, delete on tables to kuvert_app;
        alter default privileges in schema public grant usage, select, update on sequences to kuvert_app;
        revoke update, delete, truncate on audit_event, audit_checkpoint, audit_checkpoint_head from kuvert_app;
        revoke insert, update, delete, truncate on audit_chain_head from kuvert_app;
      end if;
    exception when insufficient_privilege then
      raise notice 'kuvert_app privileges not granted: %', sqlerrm;
    end
    $$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop function kuvert_audit_take_heads(bigint);
    drop table audit_checkpoint_head, audit_checkpoint, audit_chain_head;
    drop sequence audit_checkpoint_seq;
    drop trigger audit_event_append_only on audit_event;
    drop trigger audit_event_no_truncate on audit_event;
    drop function kuvert_audit_refuse_change();
  `.execute(db);
  // Back to migration 0022's append (which knows no heads).
  await auditAppend.down(db);
  await auditAppend.up(db);
}
