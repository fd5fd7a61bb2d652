import type { Services } from '../../services.ts';
import { findSenderName, listSenderLetters } from './mailbox.repository.ts';

export type LetterState = 'received' | 'available' | 'read' | 'rejected';

export interface SenderLetters {
  senderName: string | null;
  letters: {
    label: string;
    senderReference: string | null;
    state: LetterState;
    receivedAt: Date;
    availableAt: Date | null;
    readAt: Date | null;
  }[];
}

/** A sender organisation's latest letters and how far each has come. Never the recipient, never content. */
export async function listLettersForSender(services: Services, senderId: string, limit = 20): Promise<SenderLetters> {
  const [senderName, rows] = await Promise.all([
    findSenderName(services.db, senderId),
    listSenderLetters(services.db, senderId, limit),
  ]);
  return {
    senderName,
    letters: rows.map((row) => ({
      label: row.label,
      senderReference: row.sender_reference,
      state: row.status === 'rejected' ? 'rejected' : row.first_read_at ? 'read' : row.status,
      receivedAt: row.received_at,
      availableAt: row.available_at,
      readAt: row.first_read_at,
    })),
  };
}
