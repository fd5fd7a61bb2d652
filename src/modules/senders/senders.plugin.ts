import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { batchProgressRoutes, batchUploadRoutes } from './batches-page.routes.tsx';
import { composeRoutes } from './compose.routes.tsx';
import { letterRoutes } from './letters.routes.tsx';
import { machineAccessRoutes } from './machine-access.routes.tsx';
import { operatorSenderRoutes } from './operator-senders.routes.tsx';
import { staffPageRoutes } from './staff-page.routes.tsx';
import { testMailboxRoutes } from './test-mailbox.routes.tsx';
import { webhookPageRoutes } from './webhooks-page.routes.tsx';

/**
 * The sender portal for sender staff: letters and their statuses (/afsender), compose and send one letter
 * (/afsender/nyt-brev), webhook endpoints (/afsender/webhooks), bulk upload and a batch's progress
 * (/afsender/masseforsendelser), the organisation's staff (/afsender/medarbejdere), its systems and on-behalf
 * authorisations (/afsender/systemer, /afsender/paa-vegne-af; administrators only), the test
 * mailbox (/afsender/testpostkasse), and the operators' list of
 * senders with the form that creates one (/drift/styring/afsendere). The API key page is the identity module's.
 * Multipart bodies are parsed only inside this plugin; the file-size limit is the per-document limit.
 */
export async function sendersPlugin(app: FastifyInstance, opts: { services: Services }) {
  await app.register(multipart, {
    limits: { fileSize: opts.services.config.maxDocumentBytes, files: 1 },
    throwFileSizeLimit: false,
  });
  await app.register(letterRoutes, opts);
  await app.register(composeRoutes, opts);
  await app.register(webhookPageRoutes, opts);
  await app.register(batchProgressRoutes, opts);
  await app.register(batchUploadRoutes, opts);
  await app.register(staffPageRoutes, opts);
  await app.register(operatorSenderRoutes, opts);
  await app.register(testMailboxRoutes, opts);
  await app.register(machineAccessRoutes, opts);
}
