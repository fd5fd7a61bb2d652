/** The public face of the senders module: what other modules may import. */
export { PortalNav } from './portal-nav.tsx';
