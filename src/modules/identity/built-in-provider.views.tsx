import type { Children } from '@kitajs/html';
import { Alert } from '../../web/components/index.ts';
import type { Persona } from './personas.ts';

// The built-in provider's pages stand alone (they belong to the "identity provider", not to Kuvert's site), so they do
// not use the site layout. No inline styles or scripts: the CSP allows neither.

function IdpPage({ title, lang = 'da', children }: { title: string; lang?: 'da' | 'en'; children: Children }) {
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title safe>{`${title} – Kuvert`}</title>
        <link rel="stylesheet" href="/assets/dkfds/css/dkfds.min.css" />
        <link rel="stylesheet" href="/assets/kuvert.css" />
      </head>
      <body>
        <main id="main-content" class="container kuvert-main kuvert-idp">
          {children}
        </main>
      </body>
    </html>
  );
}

function DemoNotice({ lang }: { lang: 'da' | 'en' }) {
  return (
    <Alert kind="warning" role="note">
      {lang === 'da' ? (
        <p class="alert-text">
          Dette er en demo-identitetsudbyder, som følger med Kuvert. Der sker ikke noget rigtigt MitID-login: vælg en af
          de opdigtede personer herunder.
        </p>
      ) : (
        <p class="alert-text">
          This is a demo identity provider that ships with Kuvert. No real MitID login takes place: pick one of the
          made-up people below.
        </p>
      )}
    </Alert>
  );
}

/** Where the provider's logout page gets its one script. */
export const PICKER_ASSETS = '/idp-login/assets';

const groups: { role: Persona['role']; da: string; en: string }[] = [
  { role: 'citizen', da: 'Borgere', en: 'Citizens' },
  { role: 'business', da: 'Virksomhed (MitID Erhverv)', en: 'Business (MitID Erhverv)' },
  { role: 'caseworker', da: 'Sagsbehandlere', en: 'Caseworkers' },
  { role: 'sender_staff', da: 'Medarbejdere hos afsendere', en: 'Sender staff' },
  { role: 'operator', da: 'Driftspersonale', en: 'Operators' },
];

/** The persona picker: one form per persona, whose button's accessible name is exactly the persona's name. */
export function PersonaPickerPage({
  action,
  personas,
  filtered = false,
  lang = 'da',
  staffLogin = false,
  staffError = null,
}: {
  action: string;
  personas: Persona[];
  /** Offer a login by a registered staff member's subject (staff created by `kuvert senders add` or an operator). */
  staffLogin?: boolean;
  /** Why the subject given was refused (it is no registered staff member). */
  staffError?: string | null;
  /** The visitor's language (Kuvert's language cookie: the provider runs on the same site). */
  lang?: 'da' | 'en';
  /** Only the personas that fit the page the login returns to (e.g. citizens for "Log ind som borger"). */
  filtered?: boolean;
}) {
  return (
    <IdpPage title={lang === 'da' ? 'Demo-login (MitID-simulator)' : 'Demo login (MitID simulator)'} lang={lang}>
      <h1 safe>{lang === 'da' ? 'Demo-login (MitID-simulator)' : 'Demo login (MitID simulator)'}</h1>
      <DemoNotice lang={lang} />
      {filtered ? (
        <p class="kuvert-persona-other" safe>
          {lang === 'da'
            ? 'Vil du logge ind som en anden slags bruger? Afbryd og vælg en anden indgang på forsiden.'
            : 'To log in as another kind of user, cancel and choose another entry on the front page.'}
        </p>
      ) : (
        ''
      )}
      {groups.map((group) => {
        const members = personas.filter((p) => p.role === group.role);
        if (members.length === 0) return '';
        const headingId = `personas-${group.role}`;
        return (
          <section aria-labelledby={headingId}>
            <h2 id={headingId} safe>
              {group[lang]}
            </h2>
            <ul class="unstyled-list kuvert-personas">
              {members.map((persona) => {
                const descriptionId = `persona-${persona.subject}-description`;
                return (
                  <li class="kuvert-persona">
                    <form method="post" action={action}>
                      <button
                        type="submit"
                        class="button button-primary"
                        name="persona"
                        value={persona.subject}
                        aria-describedby={descriptionId}
                        safe
                      >
                        {persona.name}
                      </button>
                      <p id={descriptionId} class="kuvert-persona-description" safe>
                        {persona.description[lang]}
                      </p>
                    </form>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
      {staffLogin ? <StaffSubjectForm action={action} lang={lang} error={staffError} /> : ''}
      <form method="post" action={action} class="mt-6">
        <button type="submit" class="button button-secondary" name="cancel" value="1" safe>
          {lang === 'da' ? 'Afbryd login' : 'Cancel login'}
        </button>
      </form>
    </IdpPage>
  );
}

/**
 * Asks before ending the provider session. `safeForm` is the provider's own hidden form (trusted HTML with its
 * anti-forgery token); the script submits it automatically, the buttons work without JavaScript.
 */
export function LogoutConfirmPage({ safeForm }: { safeForm: string }) {
  return (
    <IdpPage title="Log ud af demo-login">
      <h1>Log ud af demo-login</h1>
      <p lang="en">Log out of the demo login</p>
      {safeForm}
      <button
        id="kuvert-idp-logout-yes"
        type="submit"
        form="op.logoutForm"
        name="logout"
        value="yes"
        class="button button-primary"
      >
        Log ud <span lang="en">(Log out)</span>
      </button>{' '}
      <button type="submit" form="op.logoutForm" class="button button-secondary">
        Forbliv logget ind <span lang="en">(Stay logged in)</span>
      </button>
      <script src={`${PICKER_ASSETS}/auto-logout.js`} />
    </IdpPage>
  );
}

/** Submits the logout confirmation at once, since logging out of Kuvert already asked. */
export const autoLogoutScript = "document.getElementById('kuvert-idp-logout-yes')?.click();\n";

export function LoggedOutPage({ home }: { home: string }) {
  return (
    <IdpPage title="Du er logget ud">
      <h1>Du er logget ud</h1>
      <p lang="en">You are logged out.</p>
      <p>
        <a class="button button-primary" href={home}>
          Til forsiden <span lang="en">(Front page)</span>
        </a>
      </p>
    </IdpPage>
  );
}

export function IdpErrorPage({ detail }: { detail: string }) {
  return (
    <IdpPage title="Login mislykkedes">
      <h1>Login mislykkedes</h1>
      <p lang="en">The login failed.</p>
      <Alert kind="error" role="alert">
        <p class="alert-text" safe>
          {detail}
        </p>
      </Alert>
      <p>
        <a class="button button-primary" href="/">
          Til forsiden <span lang="en">(Front page)</span>
        </a>
      </p>
    </IdpPage>
  );
}

/**
 * Staff who are not demo personas (an authority onboarded with `kuvert senders add` or the operators' page, or staff
 * its administrator added) log in here by their login id, as their own identity provider would name them.
 */
function StaffSubjectForm({ action, lang, error }: { action: string; lang: 'da' | 'en'; error: string | null }) {
  const da = lang === 'da';
  return (
    <section aria-labelledby="personas-staff-subject">
      <h2 id="personas-staff-subject" safe>
        {da ? 'Anden medarbejder' : 'Other staff member'}
      </h2>
      <form method="post" action={action} novalidate>
        <div class={error ? 'form-group form-error' : 'form-group'}>
          <label class="form-label" for="staff-subject" safe>
            {da ? 'Login-id (subject)' : 'Login id (subject)'}
          </label>
          <span class="form-hint" id="staff-subject-hint" safe>
            {da
              ? 'Det login-id, en administrator eller driften har registreret medarbejderen med.'
              : 'The login id an administrator or the operators registered the staff member with.'}
          </span>
          {error ? (
            <span class="form-error-message" id="staff-subject-error" safe>
              {error}
            </span>
          ) : (
            ''
          )}
          <input
            class="form-input"
            id="staff-subject"
            name="subject"
            type="text"
            maxlength="255"
            autocomplete="off"
            aria-describedby={error ? 'staff-subject-hint staff-subject-error' : 'staff-subject-hint'}
          />
        </div>
        <button type="submit" class="button button-secondary" safe>
          {da ? 'Log ind som medarbejder' : 'Log in as staff member'}
        </button>
      </form>
    </section>
  );
}
