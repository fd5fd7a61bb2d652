import type { FastifyRequest } from 'fastify';
import { Alert, PageHeader } from './components/index.ts';
import { translator } from './i18n.ts';
import { homeOf } from './layout.tsx';

/** The front page: what Kuvert is, that this is a demo, and a way in for each role. */
export function FrontPage({ request }: { request: FastifyRequest }) {
  const tr = translator(request.lang);
  const roles = [
    {
      heading: tr('front.citizen.heading'),
      text: tr('front.citizen.text'),
      button: tr('front.citizen.button'),
      href: '/login?returnTo=%2Fpost',
    },
    {
      heading: tr('front.caseworker.heading'),
      text: tr('front.caseworker.text'),
      button: tr('front.caseworker.button'),
      href: '/login?returnTo=%2Fborgerservice',
    },
    {
      heading: tr('front.sender.heading'),
      text: tr('front.sender.text'),
      button: tr('front.sender.button'),
      href: '/login?returnTo=%2Fafsender',
    },
    {
      heading: tr('status.front.heading'),
      text: tr('status.front.text'),
      button: tr('status.front.button'),
      href: '/login?returnTo=%2Fdrift%2Fstyring',
    },
  ];
  const actor = request.actor;
  return (
    <>
      <PageHeader title={tr('front.heading')} lead={tr('front.intro')} />
      <Alert kind="info" paragraph>
        <p class="alert-text" safe>
          {tr('front.demo')}
        </p>
      </Alert>
      {actor ? (
        <p class="mt-5">
          <a class="button button-primary" href={homeOf[actor.kind]} safe>
            {tr('front.continue', { name: actor.name })}
          </a>
        </p>
      ) : (
        ''
      )}
      <h2 safe>{tr('front.roles.heading')}</h2>
      <ul class="kuvert-roles">
        {roles.map((role) => (
          <li>
            <h3 class="mt-0" safe>
              {role.heading}
            </h3>
            <p safe>{role.text}</p>
            <a class="button button-primary" href={role.href} safe>
              {role.button}
            </a>
          </li>
        ))}
      </ul>
      <h2 safe>{tr('front.developers.heading')}</h2>
      <p safe>{tr('front.developers.text')}</p>
      <ul>
        <li>
          <a href="/api/docs" safe>
            {tr('front.developers.docs')}
          </a>
        </li>
        <li>
          <a href="/api/openapi.json" safe>
            {tr('front.developers.openapi')}
          </a>
        </li>
      </ul>
    </>
  );
}
