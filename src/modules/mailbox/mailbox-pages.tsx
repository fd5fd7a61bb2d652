import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { safeRedirectPath } from '../../http/input.ts';
import { notFound } from '../../http/problem.ts';
import type { Services } from '../../services.ts';
import type { MessageKey } from '../../web/i18n.ts';
import { type MailboxAccess, mayBeyondFolders, mayInMailbox } from '../access/index.ts';
import { mayExportMailbox } from './export.policy.ts';
import { isUuid } from './list-inbox.ts';
import type { MailboxNav, Permissions } from './mailbox-layout.views.tsx';
import {
  type FolderRef,
  loadMailboxNav,
  type MailboxNavData,
  type UnreadCounts,
} from './mailbox-listing.repository.ts';

/** Pages with personal data are never stored by browsers or proxies. */
export const noStore = (reply: FastifyReply) => reply.header('cache-control', 'private, no-store');

/** Notices shown after a redirect (?ok=…), by code; anything else is ignored. */
export const NOTICES: Record<string, MessageKey> = {
  move: 'mailbox.done.move',
  mark_read: 'mailbox.done.mark_read',
  mark_unread: 'mailbox.done.mark_unread',
  trash: 'mailbox.done.trash',
  restore: 'mailbox.done.restore',
  delete_permanently: 'mailbox.done.delete_permanently',
  action: 'mailbox.done.action',
  folder_created: 'mailbox.done.folderCreated',
  folder_renamed: 'mailbox.done.folderRenamed',
  folder_deleted: 'mailbox.done.folderDeleted',
};
/** Use-case error codes the pages explain in words (?fejl=… after a redirect, or on the page shown again). */
export const ERROR_CODES = [
  'no_letters',
  'too_many_letters',
  'missing_folder',
  'unknown_folder',
  'not_in_trash',
  'forbidden',
  'folder_name_missing',
  'folder_name_too_long',
  'folder_exists',
  'too_many_folders',
  'search_query_missing',
  'search_query_too_long',
  'search_filter_invalid',
  'cpr_not_allowed',
] as const;
export const errorKey = (code: string | undefined): MessageKey | null =>
  code && (ERROR_CODES as readonly string[]).includes(code) ? (`mailbox.error.${code}` as MessageKey) : null;
export const noticeKey = (code: string | undefined): MessageKey | null => (code ? (NOTICES[code] ?? null) : null);

/** Only the mailbox's own pages are followed as a way back after a form. */
export function safeReturn(raw: string | undefined, fallback = '/post'): string {
  return safeRedirectPath(raw, ['/post']) ?? fallback;
}

export function withParam(path: string, key: string, value: string): string {
  const url = new URL(path, 'http://kuvert.invalid');
  url.searchParams.delete('ok');
  url.searchParams.delete('fejl');
  url.searchParams.set(key, value);
  return `${url.pathname}${url.search}`;
}

/** ?mappe=… as a folder of this mailbox: arkiv, papirkurv, a user folder id, else the Inbox. */
export async function parseFolder(
  services: Services,
  mailboxId: string,
  raw: string | undefined,
): Promise<FolderRef | null> {
  if (!raw || raw === 'indbakke') return { kind: 'inbox' };
  if (raw === 'arkiv') return { kind: 'archive' };
  if (raw === 'papirkurv') return { kind: 'trash' };
  if (!isUuid(raw)) return null;
  const folder = await services.db
    .selectFrom('mailbox_folder')
    .select(['id', 'name'])
    .where('id', '=', raw.toLowerCase())
    .where('mailbox_id', '=', mailboxId)
    .executeTakeFirst();
  return folder ? { kind: 'user', id: folder.id, name: folder.name } : null;
}

/** A mailbox the actor may open, as access/mailbox-access.ts gives it. */
export interface OpenableMailbox {
  access: MailboxAccess;
  owner: { id: string; name: string; kind: 'person' | 'business' };
}

/** What the pages take from the session and the access module (given by mailboxRoutes). */
export interface MailboxPageDeps {
  requireCitizen: () => preHandlerAsyncHookHandler;
  verifyCsrf: (request: FastifyRequest) => void;
  currentMailbox: (services: Services, request: FastifyRequest) => Promise<OpenableMailbox | null>;
  csrfField: (request: FastifyRequest) => JSX.Element;
}

export type MailboxPages = ReturnType<typeof mailboxPages>;

/** What the mailbox pages share: the mailbox being looked at, its navigation and the actor's permissions. */
export function mailboxPages(app: FastifyInstance, services: Services, deps: MailboxPageDeps) {
  const web = app.withTypeProvider<TypeBoxTypeProvider>();
  const hide = { hide: true };
  const citizen = deps.requireCitizen();
  const citizenForm = [citizen, async (request: FastifyRequest) => deps.verifyCsrf(request)];
  const csrfField = deps.csrfField;

  /** The mailbox being looked at, and what the actor may do there; 404 if they may not even list it. */
  async function mailboxContext(request: FastifyRequest) {
    const mailbox = await deps.currentMailbox(services, request);
    if (!mailbox || !mayInMailbox(request.actor, mailbox.access, 'list')) throw notFound('mailbox');
    return { mailbox };
  }

  /**
   * The navigation's data in one query: the mailbox's folders and (with counts) unread letters per folder, as its
   * listings show them to whoever may list it, and whether the switcher shows (the actor may open more than their
   * own mailbox, i.e. holds a delegation in force).
   */
  function navData(
    request: FastifyRequest,
    mailbox: OpenableMailbox,
    withCounts: boolean,
    listing?: Parameters<typeof loadMailboxNav>[1]['listing'],
    /** The database to read (a lag-tolerant read's, `request.reads.lagTolerant`); the primary by default. */
    db = services.db,
  ) {
    const actor = request.actor;
    return loadMailboxNav(db, {
      mailboxId: mailbox.owner.id,
      // A folder-scoped grant sees only its folders and their letters, in the listing and the counts alike.
      scope: mailbox.access.folderIds ?? null,
      actorId: actor?.kind === 'citizen' ? actor.recipientId : null,
      now: new Date(),
      withCounts,
      ...(listing ? { listing } : {}),
    });
  }

  async function navFor(
    request: FastifyRequest,
    ctx: { mailbox: OpenableMailbox },
    current: MailboxNav['current'],
    query?: string,
  ): Promise<MailboxNav> {
    return navOf(request, ctx, current, await navData(request, ctx.mailbox, true), query);
  }

  function navOf(
    request: FastifyRequest,
    ctx: { mailbox: OpenableMailbox },
    current: MailboxNav['current'],
    data: MailboxNavData,
    query?: string,
  ): MailboxNav {
    const { mailbox } = ctx;
    const actor = request.actor;
    const { folders, unread, canSwitch } = data;
    return {
      current,
      folders,
      unread: unread as UnreadCounts,
      ownerName: actor?.kind === 'citizen' && actor.recipientId === mailbox.owner.id ? null : mailbox.owner.name,
      canSwitch,
      mayWrite: mayBeyondFolders(actor, mailbox.access, 'write'),
      mayManageRules: mayInMailbox(actor, mailbox.access, 'manage_rules'),
      mayViewActivity: mayInMailbox(actor, mailbox.access, 'view_activity'),
      mayExport: mayExportMailbox(actor, mailbox.access),
      mayOrganise: mayBeyondFolders(actor, mailbox.access, 'organise'),
      csrfToken: request.csrfToken ?? '',
      ...(query !== undefined ? { query } : {}),
    };
  }

  const permsOf = (request: FastifyRequest, access: OpenableMailbox['access']): Permissions => ({
    mayOrganise: mayInMailbox(request.actor, access, 'organise'),
    mayDelete: mayInMailbox(request.actor, access, 'delete'),
    mayDeletePermanently: mayInMailbox(request.actor, access, 'delete_permanently'),
  });

  return { web, hide, citizen, citizenForm, csrfField, mailboxContext, navData, navFor, navOf, permsOf };
}
