import assert from 'node:assert/strict';
import { personas } from '../../src/modules/identity/personas.ts';

/** A browser stand-in for the real OIDC login: keeps cookies (ignoring path and domain), follows nothing itself. */
export class LoginBrowser {
  readonly cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', this.cookieHeader());
    const response = await fetch(new URL(path, this.base), { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      const expired = attributes.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  post(path: string, form: Record<string, string>): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** Follows redirects through the login (/login, /idp, /idp-login, /auth) and stops at Kuvert's own pages. */
  async follow(response: Response): Promise<{ response: Response; path: string }> {
    let current = response;
    let path = '';
    for (let hops = 0; hops < 10 && current.status >= 300 && current.status < 400; hops++) {
      const location = current.headers.get('location');
      assert.ok(location, 'a redirect without Location');
      const next = new URL(location, new URL(path || '/', this.base));
      path = next.pathname + next.search;
      if (!/^\/(idp|idp-login|auth|login)(\/|\?|$)/.test(next.pathname)) return { response: current, path };
      current = await this.request(path);
    }
    return { response: current, path };
  }

  /**
   * The whole login as the persona labelled `personaName`: /login → provider → picker → callback. Returns the
   * callback's response (a redirect into Kuvert, or its error page) and where it sends the browser.
   */
  async logInAs(personaName: string): Promise<{ response: Response; path: string }> {
    const persona = personas.find((p) => p.name === personaName);
    assert.ok(persona, `no persona called ${personaName}`);
    const picker = await this.follow(await this.request('/login?returnTo=%2Fpost'));
    assert.match(picker.path, /^\/idp-login\/[A-Za-z0-9_-]+$/);
    const html = await picker.response.text();
    assert.ok(html.includes(`value="${persona.subject}"`), 'the picker offers the persona');
    return this.follow(await this.post(picker.path, { persona: persona.subject }));
  }
}
