import { type Kysely, sql } from 'kysely';

/**
 * Paper mail, honestly (issue 18, item 5).
 *
 * - message.status 'returned': a paper letter the post brought back (RETURNED_TO_SENDER).
 * - print_job.returned_at, return_reason: the print provider's report of a returned letter (print/report-returns.ts);
 *   the job stays 'sent' (it was posted), so what reads posted letters (proofs) still finds it.
 * - recipient.address_doubtful_since, address_doubt_reason: the registry's note that post to this address came back;
 *   cleared when the population or business import brings a new address.
 * - Trigger message_status_from_print: the messages module's reaction to the print channel's outcome events. print
 *   sits below messages and may not write its table, so the message's status follows its own events: a FAILED event
 *   of the print channel (data.channel = 'print') makes a print_queued letter 'rejected' with the event's reason, a
 *   RETURNED_TO_SENDER makes it 'returned'. Same transaction as the event, so status and event never disagree.
 * - Backfill: letters whose print job failed before this migration become 'rejected' with the job's reason.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table message drop constraint message_status_check;
    alter table message add constraint message_status_check
      check (status in ('received', 'scheduled', 'available', 'print_queued', 'rejected', 'recalled', 'returned'));

    alter table print_job add column returned_at timestamptz;
    alter table print_job add column return_reason text
      check (return_reason in ('unknown_addressee', 'moved', 'refused', 'insufficient_address', 'deceased', 'other'));
    alter table print_job add constraint print_job_return_complete
      check ((returned_at is null) = (return_reason is null));

    alter table recipient add column address_doubtful_since timestamptz;
    alter table recipient add column address_doubt_reason text;

    create function kuvert_message_status_from_print() returns trigger language plpgsql as $$
    begin
      if new.type = 'FAILED' then
        update message set status = 'rejected', rejected_reason = coalesce(new.data->>'reason', 'print_failed')
         where id = new.message_id and status = 'print_queued';
      elsif new.type = 'RETURNED_TO_SENDER' then
        update message set status = 'returned' where id = new.message_id and status = 'print_queued';
      end if;
      return null;
    end $$;
    create trigger message_status_from_print after insert on message_event
      for each row when (new.type in ('FAILED', 'RETURNED_TO_SENDER') and new.data->>'channel' = 'print')
      execute function kuvert_message_status_from_print();

    update message m set status = 'rejected', rejected_reason = coalesce(p.failed_reason, 'print_failed')
      from print_job p
     where p.message_id = m.id and p.state = 'failed' and m.status = 'print_queued';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger if exists message_status_from_print on message_event;
    drop function if exists kuvert_message_status_from_print();
    alter table recipient drop column if exists address_doubt_reason;
    alter table recipient drop column if exists address_doubtful_since;
    alter table print_job drop constraint if exists print_job_return_complete;
    alter table print_job drop column if exists return_reason;
    alter table print_job drop column if exists returned_at;
    update message set status = 'print_queued' where status = 'returned';
    alter table message drop constraint message_status_check;
    alter table message add constraint message_status_check
      check (status in ('received', 'scheduled', 'available', 'print_queued', 'rejected', 'recalled'));
  `.execute(db);
}
